using System.Drawing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace ImageSocial.SampleHost.Tests;

/// <summary>One user's headless Chromium (Debian's chromium and chromium-driver, each with its own profile, so its own session) on the
/// web front end, driven through labels and button texts as a person would find them.</summary>
internal sealed class Browser : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Driver = "/usr/bin/chromedriver";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string profile = Directory.CreateTempSubdirectory("imagesocial-chromium-").FullName;
    private readonly string site;

    public Browser(string site)
    {
        this.site = site;
        Assert.True(File.Exists(Chromium) && File.Exists(Driver), "Debian's chromium and chromium-driver are needed (./build.sh test installs them).");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900", "--lang=en-US",
            $"--user-data-dir={profile}");
        Web = new ChromeDriver(service, options, TimeSpan.FromSeconds(120));
    }

    public ChromeDriver Web { get; }

    public string Url => Web.Url;

    /// <summary>Opens a route and waits until its view has rendered (the same route again is reloaded: a hash that does not change
    /// renders nothing new). The view before is marked, so its heading is never taken for the new one's.</summary>
    public void Go(string route)
    {
        var target = $"{site}/#{route}";
        Script<object>("const m = document.getElementById('main'); if (m) { const i = document.createElement('i'); i.id = 'stale-view'; m.append(i); } return null;");
        if (Web.Url == target)
        {
            Web.Navigate().Refresh();
        }
        else
        {
            Web.Navigate().GoToUrl(target);
        }

        Rendered(route);
    }

    public void Reload()
    {
        Web.Navigate().Refresh();
        Rendered(Web.Url);
    }

    /// <summary>Waits for a rendered view: no marker of the one before, not busy, a heading.</summary>
    private void Rendered(string what) => Until(() => Script<bool>(
        "const m = document.getElementById('main'); return !!m && !document.getElementById('stale-view') && !m.hasAttribute('aria-busy') && !!m.querySelector('h1');"),
        $"the view of {what}");

    public string Heading => Until(() => Web.FindElement(By.CssSelector("main h1")).Text, "a heading");

    /// <summary>Types into the field whose label reads <paramref name="label"/> (so a field without one cannot be found).</summary>
    public void Fill(string label, string text)
    {
        var field = Labelled(label);
        field.Clear();
        field.SendKeys(text);
    }

    public IWebElement Labelled(string label) => Until(() =>
    {
        var labels = Web.FindElements(By.XPath($"//main//label[normalize-space()={XPath(label)}]"));
        return labels.Count == 1 ? Web.FindElement(By.Id(labels[0].GetAttribute("for")!)) : null;
    }, $"the field labelled '{label}'");

    public void Click(string text) => Button(text).Click();

    public IWebElement Button(string text) =>
        Until(() => Web.FindElements(By.XPath($"//main//button[normalize-space()={XPath(text)}]")).FirstOrDefault(b => b.Enabled && b.Displayed), $"the button '{text}'");

    public void Link(string text) =>
        Until(() => Web.FindElements(By.XPath($"//a[normalize-space()={XPath(text)}]")).FirstOrDefault(a => a.Displayed), $"the link '{text}'").Click();

    /// <summary>The alt texts (= titles) of the post cards in a list labelled <paramref name="list"/>, once their images have loaded.</summary>
    public IReadOnlyList<string> Cards(string list) =>
        Web.FindElements(By.XPath($"//ul[@aria-label={XPath(list)}]/li//img")).Select(i => i.GetAttribute("alt") ?? "").ToList();

    public string Error => Web.FindElement(By.Id("error")).Text;

    public T Script<T>(string script) => (T)Web.ExecuteScript(script)!;

    public void Resize(int width, int height) => Web.Manage().Window.Size = new Size(width, height);

    public void Screenshot(string folder, string name)
    {
        // Let images that are still arriving (blob: URLs) paint first.
        Until(() => Script<bool>("return [...document.images].every(i => i.complete)"), "images to load");
        // The whole page from its top, not just the window: the window grows to the page's height for the shot, then goes back.
        Script<object>("window.scrollTo(0, 0); return null;");
        var size = Web.Manage().Window.Size;
        var height = (int)Math.Min(Script<long>("return document.documentElement.scrollHeight") + 120, 2400);
        if (height > size.Height)
        {
            Resize(size.Width, height);
        }

        Web.GetScreenshot().SaveAsFile(Path.Combine(folder, name + ".png"));
        Resize(size.Width, size.Height);
    }

    /// <summary>Waits until <paramref name="probe"/> answers a non-default value (the page is asynchronous: every view loads from the API).</summary>
    public T Until<T>(Func<T?> probe, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var value = probe();
                if (value is not null && !EqualityComparer<T>.Default.Equals(value, default))
                {
                    return value;
                }
            }
            catch (Exception ex) when (ex is WebDriverException or InvalidOperationException)
            {
                last = ex; // stale or not there yet
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException($"Waited {Patience.TotalSeconds} s for {what} at {Web.Url}; page error: '{SafeError()}'.", last);
    }

    public void Until(Func<bool> condition, string what) => Until<object>(() => condition() ? true : null, what);

    private string SafeError()
    {
        try
        {
            return Error;
        }
        catch (WebDriverException)
        {
            return "";
        }
    }

    private static string XPath(string text) => text.Contains('\'', StringComparison.Ordinal) ? $"\"{text}\"" : $"'{text}'";

    public void Dispose()
    {
        Web.Quit();
        Web.Dispose();
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be writing its profile as it exits; the temp folder is cleaned later.
        }
    }
}
