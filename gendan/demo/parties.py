"""Demo customers (several countries, assigned to the demo sales teams) and suppliers of every kind."""

from __future__ import annotations

from decimal import Decimal

from gendan.core.events import events_bulk_created
from gendan.core.numbering import number_next_block
from gendan.demo.events import DEMO_DATA
from gendan.parties.credit_code import ALPHABET, check_character
from gendan.parties.models import Contact, Customer, Incoterm, PaymentMethod, Supplier

# country, city, port of destination, currency, English name stem, region code, team
MARKETS = [
    ("US", "Los Angeles", "Los Angeles", "USD", "Pacific Home Goods Inc.", "americas", "Team A"),
    ("US", "New York", "New York", "USD", "Hudson Trading LLC", "americas", "Team A"),
    ("CA", "Vancouver", "Vancouver", "USD", "Maple Leaf Imports Ltd.", "americas", "Team A"),
    ("BR", "Santos", "Santos", "USD", "Rio Comercial Ltda.", "americas", "Team A"),
    ("DE", "Hamburg", "Hamburg", "EUR", "Nordhafen Handels GmbH", "europe", "Team B"),
    ("NL", "Rotterdam", "Rotterdam", "EUR", "Van Dijk Trading B.V.", "europe", "Team B"),
    ("GB", "Felixstowe", "Felixstowe", "GBP", "Thames Supply Co. Ltd.", "europe", "Team B"),
    ("FR", "Le Havre", "Le Havre", "EUR", "Maison Durand SARL", "europe", "Team B"),
    ("JP", "Osaka", "Osaka", "JPY", "Kansai Shoji K.K.", "asia", None),
    ("AU", "Sydney", "Sydney", "USD", "Southern Cross Retail Pty Ltd", "asia", None),
    ("AE", "Dubai", "Jebel Ali", "USD", "Gulf Star General Trading LLC", "asia", None),
    ("CN", "上海", "", "CNY", "上海华东商贸有限公司", "asia", None),
]
TERMS = [
    (PaymentMethod.TT_DEPOSIT_BALANCE, Decimal("30"), 0),
    (PaymentMethod.TT_AGAINST_BL_COPY, Decimal("30"), 0),
    (PaymentMethod.LC_SIGHT, Decimal("0"), 0),
    (PaymentMethod.DP, Decimal("0"), 0),
    (PaymentMethod.OA, Decimal("20"), 60),
]
SPECIAL = [
    "纸箱五层瓦楞，外箱贴英文唛头；每件独立PE袋并印警告语。",
    "Barcode labels on every inner box; no Chinese characters on retail packaging.",
    "验货标准 AQL 2.5/4.0，客户第三方验货（SGS）。",
    "Shipping sample (船头板) 2 pcs per colour by courier before loading.",
    "",
]
FIRST_NAMES = ["Anna", "Ben", "Carlos", "Diane", "Erik", "Fatima", "George", "Hiro", "Isabel", "Jack"]


def credit_code_for(serial: int) -> str:
    """A well-formed demo credit code (91 = enterprise, 440300 = Shenzhen) with a valid check character."""
    body = "91440300"
    rest = ""
    n = serial * 7919 + 123456789
    for _ in range(9):
        n, r = divmod(n, 31)
        rest += ALPHABET[r]
    first17 = body + rest
    return first17 + check_character(first17)


SUPPLIERS = [
    # kind, name_zh, name_en, city, capacity, main products
    (Supplier.Kind.OWN_WORKSHOP, "一车间（注塑）", "Workshop 1 (moulding)", "深圳", 3000, "注塑件、整机装配"),
    (Supplier.Kind.OWN_WORKSHOP, "二车间（装配包装）", "Workshop 2 (assembly & packing)", "深圳", 2500, "装配、包装"),
    (Supplier.Kind.OUTSOURCED_FACTORY, "东莞宏达五金制品厂", "Dongguan Hongda Hardware Factory", "东莞", 5000, "五金件、喷涂"),
    (Supplier.Kind.OUTSOURCED_FACTORY, "宁波海曙纺织品有限公司", "Ningbo Haishu Textiles Co., Ltd.", "宁波", 8000, "布艺、纺织品"),
    (Supplier.Kind.OUTSOURCED_FACTORY, "佛山顺德家具厂", "Foshan Shunde Furniture Factory", "佛山", 600, "木制家具"),
    (Supplier.Kind.MATERIAL_SUPPLIER, "深圳恒信纸品包装有限公司", "Shenzhen Hengxin Packaging Co., Ltd.", "深圳", None, "纸箱、彩盒、说明书"),
    (Supplier.Kind.MATERIAL_SUPPLIER, "惠州立新塑胶原料行", "Huizhou Lixin Plastics Trading", "惠州", None, "ABS、PP 原料"),
    (Supplier.Kind.MATERIAL_SUPPLIER, "中山明辉电子有限公司", "Zhongshan Minghui Electronics Co., Ltd.", "中山", None, "PCB、电子元件"),
    (Supplier.Kind.FORWARDER, "深圳环球货运代理有限公司", "Shenzhen Global Freight Forwarding Co., Ltd.", "深圳", None, "海运订舱、拖车、报关"),
    (Supplier.Kind.COURIER, "DHL 深圳", "DHL Express Shenzhen", "深圳", None, "样品快递"),
    # more forwarders (invented names), so bookings are spread as in a real export business
    (Supplier.Kind.FORWARDER, "宁波港盛国际货运代理有限公司", "Ningbo Gangsheng International Freight Forwarding Co., Ltd.",
     "宁波", None, "海运整柜、拼箱"),
    (Supplier.Kind.FORWARDER, "广州南沙海通国际物流有限公司", "Guangzhou Nansha Haitong International Logistics Co., Ltd.",
     "广州", None, "海运订舱、报关、仓储"),
    (Supplier.Kind.FORWARDER, "上海浦江捷运国际物流有限公司", "Shanghai Pujiang Express International Logistics Co., Ltd.",
     "上海", None, "海运、空运订舱"),
]


def seed(ctx) -> None:
    users, teams, regions = ctx.users, ctx.data["teams"], ctx.data["regions"]
    rng = ctx.rng
    team_people = {
        "Team A": (users["sales"], users["merch"]),
        "Team B": (users["sales2"], users["merch2"]),
        None: (users["sales"], users["merch2"]),
    }
    codes = number_next_block(code="customer", count=ctx.customers)
    customers = []
    for i, code in enumerate(codes):
        country, city, port, currency, stem, region, team = MARKETS[i % len(MARKETS)]
        method, deposit, days = TERMS[i % len(TERMS)]
        salesperson, merchandiser = team_people[team]
        domestic = country == "CN"
        suffix = "" if i < len(MARKETS) else f" #{i // len(MARKETS) + 1}"
        customers.append(Customer(
            code=code,
            name_en="" if domestic else stem + suffix,
            name_zh=stem + suffix if domestic else "",
            short_name=("".join(w[0] for w in stem.split()[:3]) if not domestic else "HD")[:20].upper(),
            country=country, city=city, region=regions[region],
            address=f"{rng.randint(1, 999)} Harbour Road, {city}" if not domestic else "上海市浦东新区世纪大道100号",
            phone=f"+{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(1000000, 9999999)}",
            email=f"purchasing{i}@example.com",
            default_currency_id=currency,
            payment_method=method, deposit_percent=deposit, payment_days=days,
            incoterm=Incoterm.EXW if domestic else rng.choice([Incoterm.FOB, Incoterm.FOB, Incoterm.CIF, Incoterm.FCA]),
            incoterm_place="深圳" if domestic else "Shenzhen",
            port_of_loading="" if domestic else "Shenzhen (Yantian)",
            port_of_destination=port,
            special_requirements=SPECIAL[i % len(SPECIAL)],
            salesperson=salesperson, merchandiser=merchandiser, team=teams.get(team) if team else None,
        ))
    Customer.objects.bulk_create(customers, batch_size=1000)
    customers = list(Customer.objects.order_by("code"))
    contacts = []
    for i, c in enumerate(customers):
        name = FIRST_NAMES[i % len(FIRST_NAMES)]
        contacts.append(Contact(customer=c, name=f"{name} {c.short_name}", title="Purchasing manager",
                                email=f"{name.lower()}{i}@example.com", phone=c.phone, is_primary=True))
        if i % 3 == 0:
            contacts.append(Contact(customer=c, name=f"Accounts {c.short_name}", title="Accounts payable",
                                    email=f"ap{i}@example.com", fax=c.phone))
    Contact.objects.bulk_create(contacts, batch_size=1000)

    supplier_codes = number_next_block(code="supplier", count=len(SUPPLIERS))
    suppliers = []
    for i, (kind, zh, en, city, capacity, products) in enumerate(SUPPLIERS):
        suppliers.append(Supplier(
            code=supplier_codes[i], kind=kind, name_zh=zh, name_en=en, country="CN", city=city,
            credit_code=credit_code_for(i + 1), daily_capacity=capacity, main_products=products,
            address=f"{city}市工业区{i + 1}号", phone=f"0755-{rng.randint(20000000, 29999999)}",
            capacity_notes="旺季 8–11 月产能紧张，需提前两周排期。" if capacity else "",
            bank_name="中国银行深圳分行", bank_account=f"7{rng.randint(10**11, 10**12 - 1)}",
        ))
    Supplier.objects.bulk_create(suppliers)
    suppliers = list(Supplier.objects.order_by("code"))
    Contact.objects.bulk_create([
        Contact(supplier=s, name=f"{s.name_zh[:2]}经理", title="厂长" if "车间" not in s.name_zh else "车间主任",
                mobile=f"13{rng.randint(100000000, 999999999)}", wechat=f"wx_{s.code.lower()}", is_primary=True)
        for s in suppliers
    ])
    events_bulk_created(actor=users["admin"], objs=customers, kind=DEMO_DATA)
    events_bulk_created(actor=users["admin"], objs=suppliers, kind=DEMO_DATA)
    ctx.data["customers"] = customers
    ctx.data["suppliers"] = suppliers
    ctx.say(f"  {len(customers)} customers in {len({c.country for c in customers})} countries, "
            f"{len(suppliers)} suppliers")
