"""Demo products: categories, components and packing items, semi-finished parts, and finished
goods with full export packing, colour × size variants and bills of materials.

Everything is inserted in bulk, so ``seed_demo --products 20000`` takes seconds. The rows are
valid by construction (G.W. > N.W., all three carton dimensions, BOMs without loops).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from gendan.catalog.gtin import gtin_with_check_digit
from gendan.catalog.models import MATRIX_STRIDE, BomLine, Product, ProductCategory, ProductVariant
from gendan.core.events import events_bulk_created
from gendan.demo.events import DEMO_DATA

K = Product.Kind
U = Product.Unit

CATEGORIES = [
    # code, name_zh, name_en, item no. prefix
    ("home", "家居用品", "Home goods", "HG"),
    ("appliance", "小家电", "Small appliances", "EA"),
    ("bags", "箱包", "Bags & luggage", "BG"),
    ("furniture", "家具", "Furniture", "FN"),
    ("textiles", "纺织品", "Home textiles", "TX"),
]

# item no., kind, name_zh, name_en, unit, spec, material
PARTS = [
    ("PK-CTN-S", K.PACKAGING, "五层瓦楞纸箱（小）", "5-ply export carton, small", U.PCS, "40 × 30 × 30 cm", "K=K 瓦楞纸"),
    ("PK-CTN-M", K.PACKAGING, "五层瓦楞纸箱（中）", "5-ply export carton, medium", U.PCS, "60 × 40 × 40 cm", "K=K 瓦楞纸"),
    ("PK-CTN-L", K.PACKAGING, "五层瓦楞纸箱（大）", "5-ply export carton, large", U.PCS, "80 × 60 × 50 cm", "K=K 瓦楞纸"),
    ("PK-BOX", K.PACKAGING, "彩盒", "Colour box", U.PCS, "350 g 白卡纸，四色印刷，过光油", "白卡纸"),
    ("PK-PE", K.PACKAGING, "PE 袋（印警告语）", "PE bag with suffocation warning", U.PCS, "0.04 mm", "LDPE"),
    ("PK-MAN", K.PACKAGING, "说明书（中英文）", "Instruction manual (CN/EN)", U.PCS, "A5，16 页", "80 g 双胶纸"),
    ("PK-FOAM", K.PACKAGING, "EPE 珍珠棉护角", "EPE foam corner protectors", U.SET, "4 只一套", "EPE"),
    ("PK-LABEL", K.PACKAGING, "条码贴纸", "Barcode sticker", U.PCS, "50 × 30 mm", "铜版不干胶"),
    ("MT-ABS", K.COMPONENT, "ABS 粒料", "ABS resin pellets", U.KG, "阻燃级 V0", "ABS"),
    ("MT-PP", K.COMPONENT, "PP 粒料", "PP resin pellets", U.KG, "食品级", "PP"),
    ("MT-SS304", K.COMPONENT, "304 不锈钢板", "304 stainless steel sheet", U.KG, "0.5 mm", "SUS304"),
    ("EL-PCB", K.COMPONENT, "PCB 控制板", "PCB control board", U.PCS, "FR-4 双面板", "FR-4"),
    ("EL-MOTOR", K.COMPONENT, "直流电机", "DC motor", U.PCS, "12 V 18000 rpm", ""),
    ("EL-CORD", K.COMPONENT, "电源线（VDE 插头）", "Power cord, VDE plug", U.PCS, "1.2 m 2 × 0.75 mm²", "PVC"),
    ("EL-HEATER", K.COMPONENT, "发热盘", "Heating element", U.PCS, "1500 W", "铝"),
    ("EL-BATTERY", K.COMPONENT, "锂电池", "Li-ion battery", U.PCS, "3.7 V 2000 mAh", ""),
    ("HW-SCREW", K.COMPONENT, "螺丝包", "Screw kit", U.SET, "M4 × 20，12 粒", "碳钢镀锌"),
    ("HW-ZIP", K.COMPONENT, "YKK 拉链", "YKK zip", U.PCS, "5 号尼龙", "尼龙"),
    ("HW-WHEEL", K.COMPONENT, "万向轮", "Spinner wheel", U.PCS, "静音 360°", "PU"),
    ("TX-OXFORD", K.COMPONENT, "600D 牛津布", "600D Oxford fabric", U.M, "幅宽 150 cm", "涤纶"),
    ("TX-TERRY", K.COMPONENT, "纯棉毛巾布", "Cotton terry cloth", U.M, "500 g/m²", "棉"),
    ("TX-FLEECE", K.COMPONENT, "法兰绒", "Flannel fleece", U.M, "280 g/m²", "涤纶"),
    ("TX-CANVAS", K.COMPONENT, "12 安帆布", "12 oz canvas", U.M, "幅宽 150 cm", "棉"),
    ("WD-MDF", K.COMPONENT, "E1 级中纤板", "E1 MDF board", U.PCS, "1220 × 2440 × 15 mm", "中纤板"),
    ("WD-OAK", K.COMPONENT, "白橡木板", "White oak board", U.PCS, "2000 × 200 × 20 mm", "白橡木"),
    ("SF-HOUSING", K.SEMI_FINISHED, "注塑外壳", "Moulded housing", U.PCS, "二次喷油", "ABS"),
    ("SF-LID", K.SEMI_FINISHED, "不锈钢杯盖组件", "Stainless lid assembly", U.SET, "含硅胶圈", "PP + SUS304"),
]
# Bills of materials of the semi-finished parts: (item no., component, qty per unit, scrap %).
PART_BOMS = [
    ("SF-HOUSING", "MT-ABS", "0.35", "3"),
    ("SF-LID", "MT-PP", "0.05", "2"),
    ("SF-LID", "MT-SS304", "0.02", "1.5"),
]

COLOURS = [("BK", "黑色"), ("WH", "白色"), ("GY", "灰色"), ("NV", "藏青"), ("RD", "红色"), ("BE", "米色"),
           ("GN", "墨绿"), ("PK", "粉色")]
LETTER_SIZES = [("S", "S"), ("M", "M"), ("L", "L"), ("XL", "XL")]


@dataclass(frozen=True)
class Template:
    """A kind of finished product the demo makes many of."""

    name_zh: str
    name_en: str
    model: str
    spec: str
    material: str
    finish: str
    points: str
    hs_code: str
    units_per_carton: tuple[int, ...]
    carton_cm: tuple[int, int, int]
    unit_kg: str
    carton_item: str
    recipe: tuple[tuple[str, str, str], ...]  # component, qty per unit, scrap %
    sizes: tuple[tuple[str, str], ...] = ()
    unit: str = U.PCS


TEMPLATES = {
    "home": [
        Template("不锈钢保温杯", "Stainless steel vacuum flask", "VF", "500 ml", "SUS304 内胆，PP 杯盖", "喷粉哑光",
                 "12 小时保温；一键开盖；食品级材质", "9617001100", (24, 36), (42, 32, 30), "0.32", "PK-CTN-S",
                 (("SF-LID", "1", "1"), ("MT-SS304", "0.18", "4"), ("PK-BOX", "1", "0.5"), ("PK-PE", "1", "1")),
                 sizes=(("350", "350 ml"), ("500", "500 ml"), ("750", "750 ml"))),
        Template("硅胶折叠收纳盒", "Collapsible silicone storage box", "SB", "3 件套", "食品级硅胶 + PP 框",
                 "细磨砂", "折叠后只有 4 cm 高；可进洗碗机", "3924100000", (20, 30), (50, 35, 32), "0.45", "PK-CTN-M",
                 (("MT-PP", "0.15", "3"), ("PK-BOX", "1", "0.5"), ("PK-LABEL", "1", "2"))),
        Template("陶瓷香薰蜡烛", "Ceramic scented candle", "SC", "200 g", "大豆蜡，陶瓷杯", "釉面",
                 "天然大豆蜡；燃烧 40 小时", "3406000000", (12, 24), (40, 30, 22), "0.55", "PK-CTN-S",
                 (("PK-BOX", "1", "0.5"), ("PK-FOAM", "0.25", "0"), ("PK-LABEL", "1", "2"))),
    ],
    "appliance": [
        Template("电热水壶", "Electric kettle", "EK", "1.7 L 220–240 V 1500 W", "304 不锈钢内胆，ABS 外壳",
                 "双层防烫，喷油", "沸腾自动断电；干烧保护；360° 旋转底座", "8516797000", (4, 6), (60, 40, 36),
                 "1.05", "PK-CTN-M",
                 (("SF-HOUSING", "1", "2"), ("EL-HEATER", "1", "0.5"), ("EL-PCB", "1", "1"),
                  ("EL-CORD", "1", "0.5"), ("PK-BOX", "1", "0.5"), ("PK-MAN", "1", "1"), ("PK-PE", "1", "1"))),
        Template("手持挂烫机", "Handheld garment steamer", "GS", "1200 W 250 ml", "ABS + 陶瓷釉面底板", "亮光",
                 "25 秒出汽；可拆水箱；杀菌除皱", "8516799000", (8, 12), (56, 38, 40), "0.85", "PK-CTN-M",
                 (("SF-HOUSING", "1", "2"), ("EL-HEATER", "1", "0.5"), ("EL-CORD", "1", "0.5"),
                  ("PK-BOX", "1", "0.5"), ("PK-MAN", "1", "1"))),
        Template("USB 桌面小风扇", "USB desk fan", "DF", "5 V 4 档风速", "ABS", "哑光喷油",
                 "超静音 30 dB；续航 8 小时", "8414519900", (24, 40), (52, 40, 42), "0.35", "PK-CTN-M",
                 (("SF-HOUSING", "1", "2"), ("EL-MOTOR", "1", "1"), ("EL-BATTERY", "1", "0.5"),
                  ("EL-PCB", "1", "1"), ("PK-BOX", "1", "0.5"), ("PK-MAN", "1", "1"))),
        Template("便携榨汁杯", "Portable blender", "PB", "380 ml 7.4 V", "Tritan 杯身，304 刀头", "亮光",
                 "USB-C 充电；6 叶刀头；一次充电 15 杯", "8509409000", (12, 24), (50, 36, 40), "0.48", "PK-CTN-M",
                 (("SF-HOUSING", "1", "2"), ("EL-MOTOR", "1", "1"), ("EL-BATTERY", "1", "0.5"),
                  ("PK-BOX", "1", "0.5"), ("PK-MAN", "1", "1"), ("PK-PE", "1", "1"))),
    ],
    "bags": [
        Template("双肩电脑背包", "Laptop backpack", "BP", "容纳 15.6 寸电脑", "600D 牛津布，防泼水", "PU 涂层",
                 "USB 充电口；防盗后袋；透气背垫", "4202929000", (10, 20), (60, 42, 40), "0.78", "PK-CTN-M",
                 (("TX-OXFORD", "1.6", "6"), ("HW-ZIP", "4", "2"), ("PK-PE", "1", "1"), ("PK-LABEL", "1", "2")),
                 sizes=LETTER_SIZES[:3]),
        Template("帆布托特包", "Canvas tote bag", "TB", "38 × 42 × 12 cm", "12 安帆布", "水洗",
                 "加厚提手；内袋可放手机", "4202220000", (50, 100), (60, 40, 30), "0.25", "PK-CTN-M",
                 (("TX-CANVAS", "0.9", "5"), ("HW-ZIP", "1", "2"), ("PK-PE", "1", "1")),
                 sizes=LETTER_SIZES[1:3]),
        Template("拉杆旅行箱", "Spinner trolley case", "TC", "PC 硬壳", "PC + ABS", "磨砂",
                 "TSA 海关锁；静音万向轮；可扩容", "4202129000", (1,), (78, 52, 32), "3.9", "PK-CTN-L",
                 (("MT-ABS", "2.6", "4"), ("HW-WHEEL", "4", "1"), ("HW-ZIP", "1", "2"), ("PK-PE", "1", "1")),
                 sizes=(("20", "20 寸"), ("24", "24 寸"), ("28", "28 寸"))),
    ],
    "furniture": [
        Template("实木边几", "Solid wood side table", "ST", "Ø 45 × 55 cm", "白橡木", "木蜡油",
                 "免工具安装；FSC 认证木材", "9403609990", (1, 2), (62, 50, 18), "6.5", "PK-CTN-L",
                 (("WD-OAK", "1.5", "8"), ("HW-SCREW", "1", "0"), ("PK-FOAM", "1", "0"), ("PK-MAN", "1", "1"))),
        Template("折叠餐椅", "Folding dining chair", "FC", "44 × 48 × 80 cm", "钢架 + 中纤板座面", "粉末喷涂",
                 "可叠放 6 张；承重 120 kg", "9401710000", (2, 4), (82, 48, 20), "4.2", "PK-CTN-L",
                 (("WD-MDF", "0.2", "6"), ("HW-SCREW", "1", "0"), ("PK-FOAM", "1", "0"))),
        Template("五层书架", "Five-tier bookshelf", "BS", "80 × 30 × 180 cm", "E1 中纤板", "三聚氰胺贴面",
                 "每层承重 15 kg；防倾倒配件", "9403609990", (1,), (120, 35, 14), "18.5", "PK-CTN-L",
                 (("WD-MDF", "1.2", "6"), ("HW-SCREW", "2", "0"), ("PK-FOAM", "1", "0"), ("PK-MAN", "1", "1"))),
    ],
    "textiles": [
        Template("纯棉浴巾", "Cotton bath towel", "BT", "70 × 140 cm", "100% 棉", "缎档",
                 "A 类婴幼儿标准；强吸水", "6302600000", (20, 30), (60, 40, 40), "0.5", "PK-CTN-M",
                 (("TX-TERRY", "1.1", "5"), ("PK-PE", "1", "1"), ("PK-LABEL", "1", "2")),
                 sizes=(("FT", "34 × 76 cm"), ("HT", "50 × 100 cm"), ("BT", "70 × 140 cm"))),
        Template("法兰绒毛毯", "Flannel fleece blanket", "FB", "150 × 200 cm", "100% 涤纶法兰绒", "双面刷毛",
                 "不掉毛不起球；可机洗", "6301400000", (10, 16), (60, 45, 45), "1.2", "PK-CTN-M",
                 (("TX-FLEECE", "3.2", "4"), ("PK-PE", "1", "1"), ("PK-LABEL", "1", "2")),
                 sizes=(("S", "130 × 160 cm"), ("M", "150 × 200 cm"), ("L", "200 × 230 cm"))),
        Template("亚麻抱枕套", "Linen cushion cover", "CC", "45 × 45 cm", "棉麻混纺", "水洗做旧",
                 "隐形拉链；可拆洗", "6304930000", (100, 200), (55, 40, 35), "0.12", "PK-CTN-M",
                 (("TX-CANVAS", "0.45", "5"), ("HW-ZIP", "1", "2"), ("PK-PE", "1", "1")),
                 sizes=(("45", "45 × 45 cm"), ("50", "50 × 50 cm"), ("60", "60 × 60 cm"))),
    ],
}
SERIES = ["北欧 Nordic", "都市 Urban", "经典 Classic", "自然 Natura", "轻奢 Luxe"]
Q4 = Decimal("0.0001")


def _q(value: Decimal, places: str) -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def seed(ctx) -> None:
    rng = ctx.rng
    admin = ctx.users["admin"]
    categories = [ProductCategory(code=code, name_zh=zh, name_en=en) for code, zh, en, _prefix in CATEGORIES]
    ProductCategory.objects.bulk_create(categories)
    category_by_code = {c.code: c for c in ProductCategory.objects.all()}

    parts = [Product(code=code, kind=kind, name_zh=zh, name_en=en, unit=unit, spec=spec, material=material)
             for code, kind, zh, en, unit, spec, material in PARTS]
    Product.objects.bulk_create(parts)
    part_by_code = {p.code: p for p in Product.objects.filter(code__in=[p[0] for p in PARTS])}
    bom_lines = [BomLine(product=part_by_code[owner], component=part_by_code[comp], quantity=Decimal(qty),
                         scrap_percent=Decimal(scrap), sort_order=i + 1)
                 for i, (owner, comp, qty, scrap) in enumerate(PART_BOMS)]

    finished, variants = [], []
    barcode_serial = 0
    per_category = [(category_by_code[code], prefix, TEMPLATES[code]) for code, _zh, _en, prefix in CATEGORIES]
    for n in range(ctx.products):
        category, prefix, templates = per_category[n % len(per_category)]
        t = templates[(n // len(per_category)) % len(templates)]
        number = n + 1
        units = rng.choice(t.units_per_carton)
        scale = Decimal(rng.randint(95, 110)) / 100
        length, width, height = (_q(Decimal(d) * scale, "0.1") for d in t.carton_cm)
        net = _q(Decimal(t.unit_kg) * units * Decimal(rng.randint(95, 105)) / 100, "0.01")
        gross = net + _q(Decimal("0.4") + Decimal(length * width * height) / Decimal(200_000), "0.01")
        series = SERIES[n % len(SERIES)]
        product = Product(
            code=f"{prefix}-{number:05d}", kind=K.FINISHED, category=category,
            name_zh=f"{t.name_zh}（{series.split()[0]}）", name_en=f"{t.name_en}, {series.split()[1]}",
            series=series, model_no=f"{t.model}-{100 + number}", spec=t.spec, material=t.material,
            surface_finish=t.finish, selling_points=t.points.replace("；", "\n"), hs_code=t.hs_code, unit=t.unit,
            units_per_carton=units, carton_length_cm=length, carton_width_cm=width, carton_height_cm=height,
            net_weight_kg=net, gross_weight_kg=gross, is_active=rng.random() > 0.05,
        )
        product.demo_template = t
        finished.append(product)
    Product.objects.bulk_create(finished, batch_size=1000)
    if finished and finished[0].pk is None:  # a database that does not return ids from a bulk insert
        ids = dict(Product.objects.filter(kind=K.FINISHED).values_list("code", "pk"))
        for product in finished:
            product.pk = product.id = ids[product.code]

    part_ids = {code: p.pk for code, p in part_by_code.items()}
    for product in finished:
        t = product.demo_template
        carton_share = _q(Decimal(1) / product.units_per_carton, "0.0001")
        recipe = [(t.carton_item, carton_share, "0"), *t.recipe]
        for i, (comp, qty, scrap) in enumerate(recipe):
            bom_lines.append(BomLine(product_id=product.pk, component_id=part_ids[comp], quantity=Decimal(qty),
                                     scrap_percent=Decimal(scrap), sort_order=i + 1))
        if t.sizes and rng.random() < 0.6:
            colours = rng.sample(COLOURS, rng.randint(2, 4))
            sizes = list(t.sizes)
            for ci, (colour_code, colour) in enumerate(colours):
                for si, (size_code, size) in enumerate(sizes):
                    if len(colours) * len(sizes) > 4 and rng.random() < 0.15:
                        continue  # not every colour comes in every size
                    barcode_serial += 1
                    variants.append(ProductVariant(
                        product_id=product.pk, colour=colour, size=size, sort_order=ci * MATRIX_STRIDE + si,
                        sku=f"{product.code}-{colour_code}-{size_code}",
                        barcode=gtin_with_check_digit(f"69{barcode_serial:010d}"),
                    ))
    BomLine.objects.bulk_create(bom_lines, batch_size=2000)
    ProductVariant.objects.bulk_create(variants, batch_size=2000)
    events_bulk_created(actor=admin, objs=list(part_by_code.values()) + finished, kind=DEMO_DATA)
    ctx.data["product_categories"] = category_by_code
    ctx.data["products"] = finished
    ctx.data["components"] = part_by_code
    ctx.say(f"  {len(finished)} products in {len(categories)} categories, {len(parts)} components and packing "
            f"items, {len(variants)} variants, {len(bom_lines)} BOM lines")
