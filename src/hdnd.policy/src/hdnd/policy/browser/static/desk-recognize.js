/* The registry desk reads the scan first (issue 24): the file chosen is sent
   to <van-ban>/@hdnd-recognize, and the form is filled from the page. Each
   field read with less certainty than the server's threshold is marked for
   the clerk to check; the mark goes when the clerk edits the field. Nothing
   is registered until the clerk presses "Register". A classification or
   urgency read from a stamp is only ever proposed upwards, never lowered. */
(function () {
  "use strict";
  var form = document.getElementById("hdnd-desk-form");
  var input = document.getElementById("desk-file");
  var status = document.getElementById("desk-recognize-status");
  if (!form || !input || !status) { return; }
  var say = form.dataset;
  var FIELDS = {symbol: "symbol", issuing_body: "issuing_body", issue_date: "issue_date", title: "title",
                doc_type: "document_type"};
  var LEVELS = {classification: ["none", "mat", "toi_mat", "tuyet_mat"],
                urgency: ["normal", "khan", "thuong_khan", "hoa_toc"]};

  function show(text, kind) {
    status.textContent = text;
    status.className = "form-text hdnd-recognize-status" + (kind ? " text-" + kind : "");
  }

  function mark(element, note) {
    var id = element.id + "-check";
    element.classList.add("hdnd-uncertain", "border-warning");
    element.setAttribute("aria-describedby", ((element.getAttribute("aria-describedby") || "") + " " + id).trim());
    if (!document.getElementById(id)) {
      var hint = document.createElement("div");
      hint.id = id;
      hint.className = "form-text text-warning-emphasis hdnd-check-hint";
      hint.textContent = note;
      element.insertAdjacentElement("afterend", hint);
    }
    element.addEventListener("input", function clear() { unmark(element); element.removeEventListener("input", clear); });
    element.addEventListener("change", function clear() { unmark(element); element.removeEventListener("change", clear); });
  }

  function unmark(element) {
    element.classList.remove("hdnd-uncertain", "border-warning");
    var hint = document.getElementById(element.id + "-check");
    if (hint) { hint.remove(); }
    var described = (element.getAttribute("aria-describedby") || "").split(" ").filter(function (v) {
      return v && v !== element.id + "-check";
    });
    if (described.length) { element.setAttribute("aria-describedby", described.join(" ")); }
    else { element.removeAttribute("aria-describedby"); }
  }

  function fill(answer) {
    var uncertain = answer.uncertain || [];
    var filled = 0;
    Object.keys(FIELDS).forEach(function (key) {
      var element = document.getElementById("desk-" + FIELDS[key]);
      var value = (answer.fields || {})[key];
      if (!element) { return; }
      unmark(element);
      if (value && !element.value) {
        if (element.tagName === "SELECT") {
          if (!Array.prototype.some.call(element.options, function (o) { return o.value === value; })) { return; }
        }
        element.value = value;
        filled += 1;
      }
      if (!element.value || (value && element.value === value && uncertain.indexOf(key) >= 0)) {
        mark(element, say.checkNote);
      }
    });
    // Marks stamped on the page: proposed when higher, never lowered.
    Object.keys(LEVELS).forEach(function (name) {
      var element = document.getElementById("desk-" + name);
      var read = answer[name];
      if (!element || !read) { return; }
      var order = LEVELS[name];
      if (order.indexOf(read) > order.indexOf(element.value)) {
        element.value = read;
        mark(element, say.stampNote);
      }
    });
    show(say.readDone.replace("{count}", String(filled)), "success");
  }

  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (!file) { return; }
    if (!/pdf|image\//.test(file.type) && !/\.(pdf|png|jpe?g|tiff?)$/i.test(file.name)) { return; }
    show(say.reading, "");
    form.classList.add("hdnd-recognizing");
    var reader = new FileReader();
    reader.onload = function () {
      var data = String(reader.result).split(",", 2)[1] || "";
      fetch(say.recognizeUrl, {
        method: "POST", credentials: "same-origin",
        headers: {"Accept": "application/json", "Content-Type": "application/json"},
        body: JSON.stringify({file: {filename: file.name, content_type: file.type || "application/octet-stream",
                                     data: data}})
      }).then(function (response) {
        return response.json().then(function (answer) { return {status: response.status, answer: answer}; });
      }).then(function (result) {
        form.classList.remove("hdnd-recognizing");
        if (result.status === 200) { fill(result.answer); }
        else if (result.status === 503) { show(say.unavailable + " " + (result.answer.message || ""), "danger"); }
        else { show(say.readFailed + " " + (result.answer.message || ""), "danger"); }
      }).catch(function () {
        form.classList.remove("hdnd-recognizing");
        show(say.readFailed, "danger");
      });
    };
    reader.readAsDataURL(file);
  });
}());
