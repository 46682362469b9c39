"""Users scoped to a region (统筹区) see only the records filed with that region's agency."""

import pytest
from django.urls import reverse

from shebao.accounts.models import Role
from shebao.accounts.policy import can_view_source_row, persons_visible_to
from shebao.accounts.services import create_user
from shebao.contributions.imports import import_paths
from shebao.contributions.models import SourceFile, SourceRow
from shebao.people.models import Person

pytestmark = pytest.mark.django_db
ID = "130603195602062393"  # 贺永生, in the sample


def test_a_clerk_of_another_region_sees_no_one_of_this_region(imported_sample, client):
    assert set(SourceFile.objects.values_list("region_code", flat=True)) == {"130600"}  # the policy's region
    here = create_user("baoding", "PASSWORD1", Role.COUNTER_CLERK, region_code="130600")
    there = create_user("shijiazhuang", "PASSWORD1", Role.COUNTER_CLERK, region_code="130100")
    everywhere = create_user("province", "PASSWORD1", Role.COUNTER_CLERK)
    assert persons_visible_to(here).count() == persons_visible_to(everywhere).count() == 40
    assert persons_visible_to(there).count() == 0
    row = SourceRow.objects.filter(person__id_number=ID).first()
    assert can_view_source_row(here, row) and not can_view_source_row(there, row)
    client.force_login(there)
    person = Person.objects.get(id_number=ID)
    assert client.get(reverse("web:person", args=[person.pk])).status_code in (403, 404)


def test_a_person_filed_in_two_regions_is_seen_by_both(sample_bundle, tmp_path):
    import_paths([sample_bundle / "annual"], region_code="130600")
    import_paths([sample_bundle / "养老保险卡登记.csv"], region_code="130100")
    there = create_user("shijiazhuang", "PASSWORD1", Role.COUNTER_CLERK, region_code="130100")
    visible = set(persons_visible_to(there).values_list("id_number", flat=True))
    assert ID in visible
    annual_row = SourceRow.objects.filter(person__id_number=ID, kind="annual").first()
    assert not can_view_source_row(there, annual_row)  # the person yes, another region's file no
