using System.Text.Json.Nodes;
using IopDirectory.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace IopDirectory.Tests.Partners;

/// <summary>
/// The widget in a real headless Chromium (Debian's package, driven by Playwright, no browser download), on a partner
/// page served from another origin than the API, so CORS is the browser's own. The screenshot is kept in artifacts/.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class WidgetBrowserTests(TestDatabase database)
{
    private const string Chromium = "/usr/bin/chromium";

    private static string HostPage(string api, string key) => $$"""
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Recovery Times</title>
        <style>body{font-family:Georgia,serif;max-width:900px;margin:16px auto} .iop{--iop-accent:#7a2e8c}</style></head>
        <body><h1 id="masthead">Recovery Times</h1><p>Evening programs near Scottsdale that take Medicaid.</p>
        <script src="{{api}}/embed/v1/widget.js" async></script>
        <div class="iop" data-iop-partner="{{key}}" data-near-zip="85251" data-tracks="EVENING" data-insurance="MEDICAID"></div>
        <p id="footer">Page footer</p>
        <script>
          window.hostOk = true;
          window.lastCall = null;
          document.addEventListener("click", function (e) {
            var link = e.composedPath().find(function (n) { return n.tagName === "A" && n.href && n.href.indexOf("tel:") === 0; });
            if (link) { window.lastCall = link.getAttribute("href"); e.preventDefault(); }
          });
        </script></body></html>
        """;

    /// <summary>The partner's page: a second server on another loopback port, so it is another origin than the API.</summary>
    private static async Task<(WebApplication App, string Origin)> StartPartnerSiteAsync(Func<string> page)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/", () => Results.Content(page(), "text/html; charset=utf-8"));
        await app.StartAsync();
        return (app, app.Urls.Single().TrimEnd('/'));
    }

    private static async Task<IBrowser> LaunchAsync(IPlaywright playwright) => await playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = Chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });

    [Fact]
    public async Task The_widget_renders_the_partners_listings_for_a_zip_with_its_tracking_number_and_disclosure()
    {
        var connection = await database.CreateCopyAsync();
        string key = "", apiBase = "";
        var (site, origin) = await StartPartnerSiteAsync(() => HostPage(apiBase, key));
        await using var _ = site;
        await using var api = new PartnerApi(connection);
        apiBase = api.StartKestrel().ToString().TrimEnd('/');
        var (ids, partnerKey, partnerId, _) = await AttributionTests.SetUpAsync(api, connection, [origin]);
        key = partnerKey;
        // The second centre is a paid placement: its card must say so.
        await using (var db = TestDatabase.CreateContext(connection))
        {
            var sponsored = IopDirectory.GraphQL.GlobalId.Decode(ids[1])!.Value.Id;
            db.CallRoutes.Add(new IopDirectory.CallRouting.CallRoute
            {
                CenterId = sponsored, Number = "+14805550150", Kind = IopDirectory.CallRouting.DisplayedNumberKind.TrackingNumber,
                DestinationKind = IopDirectory.CallRouting.RouteDestinationKind.Facility, DestinationCenterId = sponsored,
                DestinationNumber = "+14805550151", AnsweredAllHours = true, AnswerTimeZone = "America/Phoenix", IsPaidPlacement = true,
                Disclosure = "Sponsored listing: the centre pays for this placement. Calls ring the centre's intake.",
            });
            await db.SaveChangesAsync();
        }

        // What the widget should show: the same search, asked directly.
        var expected = await api.AdminAsync(AttributionTests.WidgetSearch);
        var names = expected["searchCenters"]!["nodes"]!.AsArray().Select(n => (string)n!["name"]!).ToList();
        Assert.NotEmpty(names);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1000, Height = 900 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(origin + "/");

        var cards = page.Locator(".iop .card");
        await cards.First.WaitForAsync(new() { Timeout = 20_000 });
        Assert.Equal(names, await page.Locator(".iop .card h3").EvaluateAllAsync<string[]>(
            "els => els.map(e => (e.querySelector('a') || e).textContent.trim())"));

        // The partner holds a tracking number for the first centre: that is the number a tap calls; the others keep theirs.
        Assert.Equal(ids[0], (string)expected["searchCenters"]!["nodes"]![0]!["id"]!);
        var target = cards.First;
        await target.Locator("a.call").ClickAsync();
        Assert.Equal("tel:" + AttributionTests.TrackingNumber, await page.EvaluateAsync<string>("window.lastCall"));
        await cards.Nth(1).Locator("a.call").ClickAsync();
        Assert.NotEqual("tel:" + AttributionTests.TrackingNumber, await page.EvaluateAsync<string>("window.lastCall"));
        Assert.True(await target.Locator(".disclosure").IsVisibleAsync());
        Assert.False(string.IsNullOrWhiteSpace(await target.Locator(".disclosure").TextContentAsync()));
        Assert.Equal(names.Count, await page.Locator(".iop a.call[aria-label^='Call ']").CountAsync());
        Assert.Equal(0, await cards.First.Locator(".badge").CountAsync());
        Assert.Equal("Sponsored", await cards.Nth(1).Locator(".badge").TextContentAsync());
        Assert.True(await cards.Nth(1).Locator(".badge").IsVisibleAsync());
        Assert.Empty(errors);

        var artifacts = Path.Combine(Repository.Root, "artifacts");
        Directory.CreateDirectory(artifacts);
        await page.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "widget.png"), FullPage = true });
        Assert.True(new FileInfo(Path.Combine(artifacts, "widget.png")).Length > 10_000);
        Assert.NotNull(partnerId);
    }

    [Fact]
    public async Task An_invalid_key_shows_a_polite_message_and_the_host_page_keeps_working()
    {
        string apiBase = "";
        var (site, origin) = await StartPartnerSiteAsync(() => HostPage(apiBase, "iop_this-key-does-not-exist"));
        await using var _ = site;
        await using var api = new PartnerApi(database.SharedConnectionString);
        apiBase = api.StartKestrel().ToString().TrimEnd('/');

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(origin + "/");

        var status = page.Locator(".iop [role=status]");
        await Assertions.Expect(status).ToContainTextAsync("can’t be shown", new() { Timeout = 20_000 });
        Assert.Equal(0, await page.Locator(".iop .card").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("window.hostOk === true"));
        Assert.True(await page.Locator("#footer").IsVisibleAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_iframe_page_lists_the_same_cards_and_may_be_framed_only_by_the_partners_sites()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new PartnerApi(connection);
        var (_, key, _, _) = await AttributionTests.SetUpAsync(api, connection, ["https://www.recovery-times.example"]);
        using var client = api.CreateClient();

        using var response = await client.GetAsync($"/embed/v1/listings?key={key}&zip=85251&tracks=EVENING&insurance=MEDICAID&first=2");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("frame-ancestors https://www.recovery-times.example", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("tel:" + AttributionTests.TrackingNumber, html);
        Assert.Equal(2, html.Split("class=\"card\"").Length - 1);

        using var refused = await client.GetAsync("/embed/v1/listings?key=iop_wrong&zip=85251");
        Assert.Contains("can’t be shown", await refused.Content.ReadAsStringAsync());
        Assert.DoesNotContain("tel:", await refused.Content.ReadAsStringAsync());

        using var script = await client.GetAsync("/embed/v1/widget.js");
        var bytes = await script.Content.ReadAsByteArrayAsync();
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.InRange(bytes.Length, 1_000, 8_000);
    }
}
