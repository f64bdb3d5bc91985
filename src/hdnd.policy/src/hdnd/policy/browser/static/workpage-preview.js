/* Office files whose preview the preview worker is still making
   (hdnd.content.previews): the work page asks for itself again every few
   seconds and puts its files' part in place as previews become ready, for
   two minutes at most (the download link stays meanwhile). It only reads:
   a GET of the same page, which writes nothing. */
(function () {
  "use strict";
  var WAIT = 4000, MOST = 30, tries = 0;

  function preparing(root) {
    return root ? root.querySelectorAll(".hdnd-work-preparing").length : 0;
  }

  function look() {
    var section = document.getElementById("hdnd-work-files");
    if (!preparing(section) || tries >= MOST) {
      return;
    }
    tries += 1;
    fetch(window.location.href, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var fresh = html && new DOMParser().parseFromString(html, "text/html").getElementById("hdnd-work-files");
        if (fresh && preparing(fresh) < preparing(section)) {
          section.replaceWith(document.importNode(fresh, true));
        }
      })
      .catch(function () { /* the network again at the next look */ })
      .then(function () { window.setTimeout(look, WAIT); });
  }

  window.setTimeout(look, WAIT);
}());
