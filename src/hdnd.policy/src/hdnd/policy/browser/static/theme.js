/* hdnd (issue 20): names for controls that Plone's scripts draw without one.
   The related-items widget's path starts with a home link that holds only an
   icon (axe: link-name, serious): it gets the name of the site's root.
   Barceloneta's page (theme/index.html) names its menu's close button
   "Close" in English: in Vietnamese it reads "Đóng". */
(function () {
  "use strict";
  var english = document.documentElement.lang === "en";
  var label = english ? "Home" : "Trang chủ";
  function name(root) {
    if (!english) {
      root.querySelectorAll(".btn-close[aria-label='Close']").forEach(function (button) {
        button.setAttribute("aria-label", "Đóng");
      });
    }
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
