// Lucid browser test: once the page has loaded, write a pass marker into #lucid-result only
// when the stylesheet applied, every image loaded and the page is a secure context (which a
// page whose certificate Chromium did not trust would never reach). Otherwise write why not.
// tests/interop/browser/browser_test.py reads the marker from Chromium's --dump-dom output.
"use strict";

function lucidCheck() {
    const problems = [];
    const probe = getComputedStyle(document.getElementById("probe"));
    if (probe.color !== "rgb(1, 2, 3)" || probe.width !== "123px") {
        problems.push("style.css not applied (color " + probe.color + ", width " +
                      probe.width + ")");
    }
    const images = [];
    for (const img of document.querySelectorAll("img.check")) {
        const name = img.getAttribute("src");
        if (img.dataset.loaded !== "yes" || img.naturalWidth <= 0) {
            problems.push(name + " not loaded (" + (img.dataset.loaded || "no event") +
                          ", naturalWidth " + img.naturalWidth + ")");
        }
        images.push(name + "=" + img.naturalWidth + "x" + img.naturalHeight);
    }
    if (!window.isSecureContext || location.protocol !== "https:") {
        problems.push("not a secure https context");
    }
    const out = document.getElementById("lucid-result");
    if (problems.length === 0) {
        out.dataset.result = "pass";
        out.textContent = ["LUCID", "BROWSER", "PASS"].join("-") + " " + images.join(" ");
    } else {
        out.dataset.result = "fail";
        out.textContent = "LUCID-BROWSER-FAIL " + problems.join("; ");
    }
}

if (document.readyState === "complete") {
    lucidCheck();
} else {
    window.addEventListener("load", lucidCheck);
}
