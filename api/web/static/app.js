// Shared behaviour: nothing here is needed to read a page; it only adds conveniences.
"use strict";
window.scribe = {
  csrf() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  },
};
