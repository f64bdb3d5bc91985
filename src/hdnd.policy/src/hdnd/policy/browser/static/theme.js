/* hdnd (issue 20): names for controls that Plone's scripts draw without one.
   The related-items widget's path starts with a home link that holds only an
   icon (axe: link-name, serious): it gets the name of the site's root.
   Barceloneta's page (theme/index.html) names its menu's close button
   "Close" in English: in Vietnamese it reads "Đóng"; select2 (Plone's
   keyword and choice widgets) writes its own English lines, untranslated by
   Plone's catalogs ("No matches found" on the add form): Vietnamese too.
   A table wider than the screen (a phone) scrolls inside its .table-responsive
   box, a long file's pages inside the work page's preview: the box is then
   reachable by keyboard (tabindex 0, WCAG 2.1.1; axe: scrollable-region-
   focusable, serious), and is not a tab stop otherwise. */
(function () {
  "use strict";
  var english = document.documentElement.lang === "en";
  var label = english ? "Home" : "Trang chủ";
  var select2 = {
    "No matches found": "Không tìm thấy",
    "Searching…": "Đang tìm…",
    "Searching...": "Đang tìm…",
    "Loading more results…": "Đang tải thêm…",
    "Loading failed": "Không tải được"
  };
  function name(root) {
    if (!english) {
      root.querySelectorAll(".select2-no-results, .select2-searching, .select2-more-results, .select2-ajax-error")
        .forEach(function (line) {
          var said = line.textContent.trim();
          if (select2[said]) { line.textContent = select2[said]; }
        });
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
  function scrollable(root) {
    root.querySelectorAll(".table-responsive, .hdnd-work-pages").forEach(function (box) {
      var wide = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (wide && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-hdnd-scroll", "");
      } else if (!wide && box.hasAttribute("data-hdnd-scroll")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-hdnd-scroll");
      }
    });
  }
  function start() {
    name(document);
    scrollable(document);
    new MutationObserver(function () { name(document); scrollable(document); })
      .observe(document.body, { childList: true, subtree: true });
    window.addEventListener("resize", function () { scrollable(document); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
