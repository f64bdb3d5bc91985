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
   focusable, serious), and is not a tab stop otherwise.
   Plone's toolbar writes an item's last change (pat-display-time) in the
   browser's own time zone: in UTC it read 14:13 beside the timeline's 21:13.
   It is written in office time (Asia/Ho_Chi_Minh), dd/mm/yyyy HH:MM, as every
   date and time of the office is. */
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
  var officeTime = null;
  try {
    officeTime = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    });
  } catch (e) { /* a browser without time zones keeps Plone's text */ }
  function inOfficeTime(root) {
    if (!officeTime) { return; }
    root.querySelectorAll("time.pat-display-time[datetime]").forEach(function (time) {
      var when = new Date(time.getAttribute("datetime"));
      if (isNaN(when)) { return; }
      var parts = {};
      officeTime.formatToParts(when).forEach(function (p) { parts[p.type] = p.value; });
      var text = parts.day + "/" + parts.month + "/" + parts.year + " " + parts.hour + ":" + parts.minute;
      if (time.textContent !== text) { time.textContent = text; }
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
    inOfficeTime(document);
    new MutationObserver(function () { name(document); scrollable(document); inOfficeTime(document); })
      .observe(document.body, { childList: true, subtree: true });
    window.addEventListener("resize", function () { scrollable(document); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
