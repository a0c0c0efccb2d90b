// List pages (gendan/core/listing.py): filters that suggest as you type. An input with
// data-typeahead="<field>" asks the list page itself (?typeahead=<field>&term=…) for the first
// matches in the user's scope and offers them in its <datalist>. Without JavaScript the input
// is a plain text filter (matched by code or name on the server).
(function () {
  "use strict";
  var timers = new WeakMap();
  var last = new WeakMap();

  function suggest(input) {
    var term = input.value.trim();
    var list = document.getElementById(input.getAttribute("list"));
    if (!list || term === last.get(input)) {
      return;
    }
    last.set(input, term);
    if (!term) {
      list.replaceChildren();
      return;
    }
    var url = new URL(window.location.pathname, window.location.origin);
    url.searchParams.set("typeahead", input.dataset.typeahead);
    url.searchParams.set("term", term);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        if (input.value.trim() !== term) {
          return; // the user typed on: a newer answer is coming
        }
        var options = (data.results || []).map(function (item) {
          var option = document.createElement("option");
          option.value = item.value;
          option.textContent = item.label;
          option.label = item.label;
          return option;
        });
        list.replaceChildren.apply(list, options);
      })
      .catch(function () { /* no suggestions: the input still filters as text */ });
  }

  document.addEventListener("input", function (event) {
    var input = event.target.closest && event.target.closest("input[data-typeahead]");
    if (!input) {
      return;
    }
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () { suggest(input); }, 200));
  });
})();
