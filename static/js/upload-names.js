// Shortens the names of chosen files before the form is sent.
//
// Django reads each part of a multipart request with at most 1,024 bytes of
// headers; a file name longer than that (a long Chinese title saved by a phone or
// a chat app) made the whole request a bare 400 and lost the form. The server
// keeps the name only as a label (originals are stored under a random key), so a
// name of at most MAX_BYTES bytes with its extension kept loses nothing.
(function () {
  "use strict";
  var MAX_BYTES = 180;
  var encoder = new TextEncoder();

  function bytes(text) { return encoder.encode(text).length; }

  function shortened(name) {
    if (bytes(name) <= MAX_BYTES) { return name; }
    var dot = name.lastIndexOf(".");
    var ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : "";
    var base = Array.from(ext ? name.slice(0, dot) : name);
    while (base.length && bytes(base.join("") + "…" + ext) > MAX_BYTES) { base.pop(); }
    return base.join("") + "…" + ext;
  }

  function renameChosen(input) {
    var files = Array.from(input.files || []);
    if (!files.some(function (f) { return f.name !== shortened(f.name); })) { return; }
    var transfer = new DataTransfer();
    files.forEach(function (f) {
      var name = shortened(f.name);
      transfer.items.add(name === f.name ? f : new File([f], name, {type: f.type, lastModified: f.lastModified}));
    });
    input.files = transfer.files;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.type === "file" && input.hasAttribute("data-short-names")) {
      renameChosen(input);
    }
  });
})();
