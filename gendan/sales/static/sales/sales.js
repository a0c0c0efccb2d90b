// Order and quotation forms: a product picked on a line fills that line's empty fields
// (description, unit, unit price) and the packing, from /sales/lines/defaults/ (sales.line_defaults):
// the customer's last price, the product's name and packing in the order's language.
// What the user typed is never replaced: only empty fields, or fields still holding what this
// script put there. Without JavaScript the form's "Fill from products" button does the same.
(function () {
  "use strict";

  function field(row, suffix) {
    return row.querySelector('[name$="-' + suffix + '"]');
  }

  function fillEmpty(input, value) {
    if (!input || value === "" || value === null || value === undefined) {
      return;
    }
    var ours = input.dataset.autofill !== undefined && input.value === input.dataset.autofill;
    if (input.value.trim() === "" || ours) {
      input.value = value;
      input.dataset.autofill = value;
      input.classList.add("autofilled");
    }
  }

  function addPacking(form, name, line) {
    var area = name && form.querySelector('[name="' + name + '"]');
    if (!area || !line) {
      return;
    }
    var code = line.split(":", 1)[0] + ":";
    if (area.value.indexOf(code) !== -1) {
      return;
    }
    area.value = area.value.trim() === "" ? line : area.value.replace(/\s+$/, "") + "\n" + line;
  }

  function setNote(row, selector, text) {
    var note = row.querySelector(selector);
    if (note) {
      note.textContent = text || "";
    }
  }

  function productPicked(select) {
    var entry = select.closest("#lines-entry");
    var row = select.closest("tr[data-line]");
    var form = select.form;
    if (!entry || !row || !form) {
      return;
    }
    setNote(row, "[data-price-note]", "");
    setNote(row, "[data-packing-note]", "");
    if (!select.value) {
      return;
    }
    var customerInput = form.querySelector('[name="customer"]');
    var customer = entry.dataset.customer || (customerInput ? customerInput.value : "");
    if (!customer) {
      setNote(row, "[data-price-note]", entry.dataset.needCustomer || "");
      return;
    }
    var currencyInput = form.querySelector('[name="currency"]');
    var params = new URLSearchParams({customer: customer, product: select.value});
    if (currencyInput && currencyInput.value) {
      params.set("currency", currencyInput.value);
    }
    row.setAttribute("aria-busy", "true");
    fetch(entry.dataset.defaultsUrl + "?" + params.toString(), {
      credentials: "same-origin",
      headers: {"Accept": "application/json"}
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      row.removeAttribute("aria-busy");
      if (!data || String(data.product) !== select.value) {
        return;  // refused, or another product was picked meanwhile
      }
      fillEmpty(field(row, "description"), data.description);
      fillEmpty(field(row, "unit"), data.unit);
      fillEmpty(field(row, "unit_price"), data.unit_price);
      setNote(row, "[data-price-note]", data.price_note);
      setNote(row, "[data-packing-note]", data.packing_note);
      addPacking(form, entry.dataset.packingField, data.packing_line);
      row.dispatchEvent(new CustomEvent("gendan:line-filled", {bubbles: true, detail: data}));
    }).catch(function () {
      row.removeAttribute("aria-busy");
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches('#lines-entry select[name$="-product"]')) {
      productPicked(target);
    }
  });
})();
