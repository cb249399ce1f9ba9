using ImageSocial.Shards;

return await ShardTool.RunAsync(args, Console.Out, Console.Error);
