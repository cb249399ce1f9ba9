using Microsoft.Extensions.Logging;

namespace ImageSocial;

internal static partial class FeedLog
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "A new post could not be announced to a watching viewer; they will find it by paging their feed.")]
    internal static partial void DeliveryFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "A new post could not be announced on the feed event bus; watching viewers will find it by paging their feed.")]
    internal static partial void PublishFailed(ILogger logger, Exception exception);
}
