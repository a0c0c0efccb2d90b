"""An order from the customer's PO to production, in a real browser.

The merchandiser enters the PO with a colour × size matrix, finds Confirm disabled by the
written-order rule, uploads the PO and records the phone call, confirms and asks for the
deposit; finance, in its own browser session, records the money and allocates it; the
merchandiser releases production and sees the order in production. Screenshots land in
test-artifacts/screenshots/order-*.png.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(page, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("header .me")).to_be_visible()


def test_order_from_po_to_production(page, browser, live_server, make_user, shot):
    from gendan.accounts.models import Team
    from gendan.parties.models import PaymentMethod, Supplier
    from gendan.sales.models import SalesOrder
    from tests.factories import ContactFactory, CustomerFactory, SupplierFactory

    team = Team.objects.create(name="Team A")
    chen = make_user("merchandiser", username="chen", full_name="Chen Li", team=team, language="en")
    make_user("finance", username="wang", full_name="Wang Fang", language="en")
    customer = CustomerFactory(code="NORD", name_en="Nordlicht Handels GmbH", merchandiser=chen, team=team,
                               payment_method=PaymentMethod.TT_DEPOSIT_BALANCE, deposit_percent=Decimal("30"),
                               default_currency_id="USD", port_of_destination="Hamburg")
    ContactFactory(customer=customer, name="Mr. Jansen", email="jansen@nordlicht.example", is_primary=True)
    factory = SupplierFactory(code="DG01", kind=Supplier.Kind.OUTSOURCED_FACTORY, name_zh="东莞陶瓷一厂",
                    name_en="Dongguan Ceramics No. 1")

    # --- the merchandiser enters the PO ------------------------------------------------------
    login(page, "chen")
    page.goto(page.base_url + "/sales/orders/new/")
    page.select_option("#id_customer", str(customer.pk))
    page.fill("#id_customer_po_no", "NL-PO-2611")
    page.fill("#id_ex_factory_date", "2099-03-31")
    page.fill("input[name=lines-0-description]", "Ceramic mug 350 ml")
    page.fill("input[name=lines-0-unit_price]", "1.235")
    page.fill("input[name=lines-0-colours]", "Red, Blue")
    page.fill("input[name=lines-0-sizes]", "S, M, L")
    page.click("button[name=rebuild][value='1']")
    grid = page.locator("[data-testid=entry-grid-1]")
    expect(grid).to_be_visible()
    for cell, qty in {"Red / S": "100", "Red / M": "300", "Red / L": "200", "Blue / M": "400"}.items():
        grid.get_by_label(cell, exact=True).fill(qty)
    expect(page.locator("input[name=lines-0-description]")).to_have_value("Ceramic mug 350 ml")  # kept
    page.fill("input[name=lines-1-description]", "Gift box")
    page.fill("input[name=lines-1-unit_price]", "0.335")
    page.fill("input[name=lines-1-quantity]", "3")
    shot(page, "order-01-entry-matrix")
    page.click("main form .form-actions button.primary[name=save]")

    expect(page).to_have_url(re.compile(r"/sales/orders/\d+/$"))
    order = SalesOrder.objects.get(customer_po_no="NL-PO-2611")
    assert order.total_amount == Decimal("1236.01")
    matrix = page.locator("[data-testid=line-matrix-1]")
    expect(matrix).to_contain_text("Blue")
    expect(matrix).to_contain_text("1,000")  # the line total under the colour × size grid

    # Confirm is there, disabled, with the rule that holds it back.
    confirm = page.locator("[data-action=confirm]")
    expect(confirm).to_be_disabled()
    expect(page.locator("[data-why=confirm]")).to_contain_text("Written-order rule")
    shot(page, "order-02-draft-confirm-disabled")

    # --- the written order and the phone call ----------------------------------------------
    page.click("summary[data-action=written]")
    page.set_input_files("#id_written-file", files=[{"name": "NL-PO-2611.pdf", "mimeType": "application/pdf",
                                                     "buffer": PDF}])
    page.click("#act-written button[type=submit]")
    expect(page.locator(".msg.success")).to_be_visible()
    expect(page.locator("[data-why=confirm]")).to_contain_text("phone confirmation")
    page.click("summary[data-action=verbal]")
    page.fill("#id_verbal-contact_name", "Mr. Jansen")
    page.fill("#id_verbal-phone_number", "+49 40 555 0100")
    page.fill("#id_verbal-summary", "1000 mugs red/blue S–L at 1.235, 3 gift boxes, ex-factory end of March")
    shot(page, "order-03-phone-confirmation-form")
    page.click("#act-verbal button[type=submit]")
    expect(page.locator("#confirmations")).to_contain_text("Mr. Jansen")

    page.click("[data-action=confirm]")
    expect(page.locator("[data-testid=order-status] [data-status]")).to_have_attribute("data-status", "confirmed")
    order.refresh_from_db()
    assert order.number and order.deposit_amount == Decimal("370.80")
    expect(page.locator("h1")).to_contain_text(order.number)
    expect(page.locator("[data-why=release_production]")).to_contain_text("Deposit rule")

    page.click("summary[data-action=request_deposit]")
    page.fill("#id_request_deposit-message", "Please quote our order number in your remittance.")
    page.click("#act-request_deposit button[type=submit]")
    expect(page.locator("h1")).to_contain_text(order.number)
    # the money panel (the request sent to the customer's contact) is on the order page's money tab
    page.click("[data-testid=order-tabs] a[data-tab=money]")
    expect(page.locator("#order-cockpit")).to_have_attribute("data-tab", "money")
    expect(page.locator("#money")).to_contain_text("jansen@nordlicht.example")
    shot(page, "order-04-confirmed-deposit-requested")

    # --- finance records the money, in its own session --------------------------------------
    finance_context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    finance = finance_context.new_page()
    finance.set_default_timeout(15_000)
    finance.base_url = live_server.url
    try:
        login(finance, "wang")
        finance.goto(finance.base_url + "/finance/receipts/new/")
        finance.select_option("#id_customer", str(customer.pk))
        finance.click("button[name=refresh]")
        finance.select_option("#id_currency", "USD")
        finance.fill("#id_amount", "365.80")
        finance.fill("#id_bank_charges", "5.00")
        finance.fill("#id_bank_reference", "FT26113300123")
        finance.fill("#id_payer_name", "NORDLICHT HANDELS GMBH")
        finance.select_option("select[name=alloc-0-order]", str(order.pk))
        finance.fill("input[name=alloc-0-amount]", "370.80")
        shot(finance, "order-05-finance-receipt-form")
        finance.click("main form .form-actions button.primary")
        expect(finance).to_have_url(re.compile(r"/finance/receipts/\d+/$"))
        expect(finance.locator("[data-testid=allocations]")).to_contain_text(order.number)
        expect(finance.locator("[data-testid=receipt]")).to_contain_text("USD 370.80")
        shot(finance, "order-06-finance-receipt-allocated")
    finally:
        finance_context.close()

    # --- the merchandiser releases production -----------------------------------------------
    page.goto(page.base_url + order.get_absolute_url())  # the overview (the page was on its money tab)
    expect(page.locator("[data-testid=order-status]")).to_contain_text("deposit received")
    page.click("[data-action=release_production]")
    page.select_option("#id_supplier", str(factory.pk))
    shot(page, "order-07-release-form")
    page.click("main form button.primary")
    expect(page.locator("[data-testid=order-status] [data-status]")).to_have_attribute("data-status", "in_production")
    page.click("[data-testid=order-tabs] a[data-tab=production]")  # the production panel is on its tab
    expect(page.locator("#order-cockpit")).to_have_attribute("data-tab", "production")
    expect(page.locator("#production")).to_contain_text("DG01")
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.IN_PRODUCTION
    assert order.production_orders.get().lines.count() == 2
    shot(page, "order-08-in-production")

    # The order list shows it with its badges; the same page in Chinese for a look at the mix.
    page.goto(page.base_url + "/sales/orders/")
    expect(page.locator("[data-testid=order-list]")).to_contain_text(order.number)
    shot(page, "order-09-list")
    page.click("header form.lang button")
    page.goto(page.base_url + order.get_absolute_url())
    shot(page, "order-10-detail-zh")
