/* IopDirectory listings widget: <script src="API/embed/v1/widget.js" async></script>
   <div data-iop-partner="KEY" data-near-zip="85251" data-tracks="EVENING" data-insurance="MEDICAID"></div>
   Renders in a shadow root, so the host page's styles and ours never meet. Theme: --iop-accent, --iop-text,
   --iop-muted, --iop-bg, --iop-border, --iop-radius, --iop-font on the div. Never throws into the host page. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script && script.src ? new URL(script.src).origin : location.origin;
  var CSS = ":host{display:block;font-family:var(--iop-font,system-ui,sans-serif);color:var(--iop-text,#1b1b1b);line-height:1.4}" +
    "ul{list-style:none;margin:0;padding:0}.list{display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(min(100%,280px),1fr))}" +
    ".card{background:var(--iop-bg,#fff);border:1px solid var(--iop-border,#c9d1d9);border-radius:var(--iop-radius,8px);padding:12px 14px;display:flex;flex-direction:column;gap:6px}" +
    "h3{font-size:1.05em;margin:0}a{color:var(--iop-accent,#0b57a4)}.meta,.note{color:var(--iop-muted,#4a5560);font-size:.9em;margin:0}" +
    ".badge{display:inline-block;background:#fff4ce;color:#5c4400;border:1px solid #b38f00;border-radius:4px;font-size:.75em;font-weight:600;padding:0 6px;margin-left:6px;vertical-align:middle}" +
    "dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:2px 8px;font-size:.9em}dt{font-weight:600}dd{margin:0}" +
    ".call{display:inline-block;background:var(--iop-accent,#0b57a4);color:#fff;border-radius:6px;padding:8px 12px;font-weight:600;text-decoration:none;min-height:24px}" +
    ".call:focus-visible,a:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}.status{margin:0;padding:8px 0}";
  var DAYS = { MONDAY: "Mon", TUESDAY: "Tue", WEDNESDAY: "Wed", THURSDAY: "Thu", FRIDAY: "Fri", SATURDAY: "Sat", SUNDAY: "Sun" };

  function el(tag, attrs, kids) {
    var node = document.createElement(tag);
    for (var name in attrs || {}) if (attrs[name] != null) node.setAttribute(name, attrs[name]);
    (kids || []).forEach(function (kid) { if (kid != null) node.append(kid); });
    return node;
  }
  function label(code) { var s = String(code).toLowerCase().replace(/_/g, " "); return s.charAt(0).toUpperCase() + s.slice(1); }
  function unique(list) { return list.filter(function (v, i) { return list.indexOf(v) === i; }); }

  function schedule(programs) {
    var lines = [];
    programs.forEach(function (p) {
      p.tracks.forEach(function (t) {
        var times = {};
        t.sessions.forEach(function (s) { var k = s.startsAt + "\u2013" + s.endsAt; (times[k] = times[k] || []).push(DAYS[s.weekday] || s.weekday); });
        var text = Object.keys(times).map(function (k) { return unique(times[k]).join(", ") + " " + k; }).join("; ");
        lines.push(label(t.kind) + (text ? ": " + text : ""));
      });
    });
    return unique(lines);
  }

  function card(edge) {
    var c = edge.node;
    var numbers = c.displayedNumbers.filter(function (n) { return n.kind !== "DIRECTORY_HOTLINE"; });
    var phone = numbers[0] || c.displayedNumbers[0];
    var name = c.website ? el("a", { href: c.website, target: "_blank", rel: "noopener" }, [c.name]) : c.name;
    var title = el("h3", null, [name, c.sponsorship ? el("span", { class: "badge" }, [c.sponsorship.label]) : null]);
    var where = (edge.distance ? edge.distance.miles.toFixed(1) + " mi \u00b7 " : "") + c.address.city + ", " + c.address.state;
    var facts = el("dl");
    function fact(term, value) { if (value) facts.append(el("dt", null, [term]), el("dd", null, [value])); }
    fact("Tracks", schedule(c.programs).join(" \u00b7 "));
    fact("Insurance", c.payment.payerTypes.map(label).join(", "));
    fact("Services", unique([].concat.apply([], c.programs.map(function (p) { return p.services.map(function (s) { return s.label; }); }))).slice(0, 6).join(", "));
    var call = phone ? el("a", { class: "call", href: "tel:" + phone.number, "aria-label": "Call " + c.name + " at " + phone.display }, ["Call " + phone.display]) : null;
    var disclosure = phone ? el("p", { class: "note disclosure" }, [phone.disclosure || "Calls to this number ring " + c.name + " directly."]) : null;
    return el("li", { class: "card", "aria-label": c.name }, [title, el("p", { class: "meta" }, [where]), facts, call, disclosure,
      c.sponsorship ? el("p", { class: "note" }, [c.sponsorship.disclosure]) : null]);
  }

  function load(host) {
    if (host.shadowRoot) return;
    var root = host.attachShadow({ mode: "open" });
    var status = el("p", { class: "status", role: "status", "aria-live": "polite" }, ["Loading treatment programs\u2026"]);
    root.append(el("style", null, [CSS]), status);
    var query = new URLSearchParams({ key: host.getAttribute("data-iop-partner") || "" });
    [["zip", "data-near-zip"], ["tracks", "data-tracks"], ["insurance", "data-insurance"], ["state", "data-state"], ["first", "data-limit"]].forEach(function (p) {
      var value = host.getAttribute(p[1]);
      if (value) query.set(p[0], value);
    });
    function polite(text) { status.textContent = text; }
    fetch(base + "/embed/v1/listings.json?" + query, { credentials: "omit" })
      .then(function (response) { return response.json().then(function (body) { return { ok: response.ok, body: body }; }); })
      .then(function (r) {
        var search = r.body && r.body.data && r.body.data.searchCenters;
        if (!r.ok || !search) return polite(r.body && r.body.message || "These listings can\u2019t be shown here right now.");
        if (!search.edges.length) return polite("No programs match near here yet.");
        polite(search.edges.length + " treatment programs near " + (host.getAttribute("data-near-zip") || "you"));
        root.append(el("ul", { class: "list", "aria-label": "Treatment programs" }, search.edges.map(card)));
      })
      .catch(function () { polite("These listings can\u2019t be shown here right now."); });
  }

  function start() { document.querySelectorAll("[data-iop-partner]").forEach(function (host) { try { load(host); } catch (e) { /* never break the host page */ } }); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
