// "Back to results" on an item opened from this portal's search: the link is in every item page,
// hidden, and shown here only when the page before was a search of the same site
// (document.referrer), so the page itself is the same for everyone and stays cacheable.
(function () {
    "use strict";
    var back = document.querySelector(".back-to-results");
    if (!back || !document.referrer) {
        return;
    }
    var from;
    try {
        from = new URL(document.referrer);
    } catch (error) {
        return;
    }
    if (from.origin !== window.location.origin || !/^\/[a-z]{2}\/search\/$/.test(from.pathname)) {
        return;
    }
    back.querySelector("a").href = from.pathname + from.search;
    back.hidden = false;
})();
