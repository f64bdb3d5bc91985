/* hdnd (issue 20): names for controls that Plone's scripts draw without one.
   The related-items widget's path starts with a home link that holds only an
   icon (axe: link-name, serious): it gets the name of the site's root. */
(function () {
  "use strict";
  var label = document.documentElement.lang === "en" ? "Home" : "Trang chủ";
  function name(root) {
    root.querySelectorAll(".pat-relateditems-container a.crumb").forEach(function (link) {
      if (!link.textContent.trim() && !link.getAttribute("aria-label")) {
        link.setAttribute("aria-label", label);
      }
    });
  }
  function start() {
    name(document);
    new MutationObserver(function () { name(document); })
      .observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
