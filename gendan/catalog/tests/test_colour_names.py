"""Colours and sizes carry both names: the built-in dictionary, the company's own list (edited on
one page, every change on the timeline), the migration that filled the list for what was
already typed, and the choice of name by the document's language."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from gendan.catalog.models import VariantName
from gendan.catalog.tests.factories import ProductFactory, VariantFactory
from gendan.catalog.variant_names import VariantNames, dictionary_english, translate_cells
from gendan.core.models import Event

URL = reverse("catalog:variant_names")


@pytest.mark.parametrize(("name", "english"), [
    ("白", "White"), ("白色", "White"), ("黑", "Black"), ("灰", "Grey"), ("蓝", "Blue"), ("红", "Red"),
    ("绿", "Green"), ("黄", "Yellow"), ("粉", "Pink"), ("紫", "Purple"), ("棕", "Brown"), ("咖啡色", "Brown"),
    ("米", "Beige"), ("藏青", "Navy"), ("深蓝", "Dark Blue"), ("卡其", "Khaki"), ("橙", "Orange"),
    ("银", "Silver"), ("金", "Gold"), ("透明", "Clear"), ("深灰色", "Dark Grey"), ("浅粉", "Light Pink"),
    ("珊瑚", ""), ("Red", ""),
])
def test_the_dictionary_knows_the_common_colour_words(name, english):
    assert dictionary_english("colour", name) == english


def test_sizes_that_are_words_and_sizes_that_are_not():
    assert dictionary_english("size", "均码") == "One size"
    assert dictionary_english("size", "M") == ""


@pytest.mark.django_db
def test_a_document_chooses_the_name_by_its_language_with_a_fallback():
    VariantName.objects.create(axis="colour", name="蓝", name_en="Royal Blue")
    cells = [("白", "均码", 1), ("蓝", "M", 2), ("珊瑚", "M", 3), ("Red", "M", 4)]

    assert translate_cells(cells, lang="en") == [
        ("White", "One size", 1), ("Royal Blue", "M", 2), ("珊瑚", "M", 3), ("Red", "M", 4)]
    assert translate_cells(cells, lang="zh") == [
        ("白", "均码", 1), ("蓝", "M", 2), ("珊瑚", "M", 3), ("红", "M", 4)]
    assert VariantNames.load(["Royal Blue"], [], lang="zh").colour("Royal Blue") == "蓝"


@pytest.mark.django_db
def test_the_migration_names_the_colours_already_typed_in_english():
    VariantFactory(product=ProductFactory(code="MUG-1"), colour="白", size="均码")
    VariantFactory(product=ProductFactory(code="MUG-2"), colour="深灰色", size="M")
    VariantFactory(product=ProductFactory(code="MUG-3"), colour="珊瑚", size="M")
    VariantName.objects.create(axis="colour", name="白", name_en="Snow")  # already named: kept

    importlib.import_module("gendan.catalog.migrations.0004_colournames_fill").fill(apps, None)

    assert set(VariantName.objects.values_list("axis", "name", "name_en")) == {
        ("colour", "白", "Snow"), ("colour", "深灰色", "Dark Grey"), ("size", "均码", "One size")}


@pytest.mark.django_db
def test_the_page_lists_the_names_in_use_with_the_dictionarys_suggestion(client_for, merchandiser):
    VariantFactory(colour="白", size="均码")
    VariantFactory(colour="珊瑚", size="均码")

    response = client_for(merchandiser).get(URL)

    assert response.status_code == 200
    initial = response.context["form"].initial
    assert "白 = White" in initial["colours"] and "珊瑚" in initial["colours"]
    assert initial["sizes"] == "均码 = One size"


@pytest.mark.django_db
def test_saving_the_list_records_each_change_on_the_timeline(client_for, merchandiser):
    VariantName.objects.create(axis="colour", name="灰", name_en="Grey")
    VariantName.objects.create(axis="colour", name="紫", name_en="Purple")

    response = client_for(merchandiser).post(URL, {"colours": "白 = Off-white\n灰 = Charcoal\n珊瑚 =\n",
                                                   "sizes": "均码 = One size"})

    assert response.status_code == 302
    assert set(VariantName.objects.values_list("axis", "name", "name_en")) == {
        ("colour", "白", "Off-white"), ("colour", "灰", "Charcoal"), ("size", "均码", "One size")}
    changes = sorted(tuple(e.changes["name_en"]) for e in Event.objects.filter(kind="catalog.variant_name_set"))
    assert changes == [("", "Off-white"), ("", "One size"), ("Grey", "Charcoal"), ("Purple", "")]
    assert all(e.actor == merchandiser for e in Event.objects.filter(kind="catalog.variant_name_set"))


@pytest.mark.django_db
def test_every_mistake_is_shown_at_once_and_nothing_is_saved(client_for, merchandiser):
    response = client_for(merchandiser).post(URL, {"colours": "白 = White\nWhite\n白 = Snow\n" + "x" * 61 + " = y",
                                                   "sizes": "= One size"})

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert len(errors["colours"]) == 3 and "Line 2" in errors["colours"][0] and "Line 3" in errors["colours"][1]
    assert "Line 4" in errors["colours"][2] and "Line 1" in errors["sizes"][0]
    assert not VariantName.objects.exists()


@pytest.mark.django_db
def test_who_may_not_edit_variants_may_not_edit_the_names(client_for, warehouse_user):
    client = client_for(warehouse_user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"colours": "白 = White"}).status_code == 403
    assert not VariantName.objects.exists()
