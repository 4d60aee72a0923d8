"""Review meetings: one per village and year, reports, paper tallies, single-use anonymous
ballot codes, satisfaction by kind of representative, and closing freezes everything."""
from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction

from appraisal import services
from appraisal.grading import Weights
from appraisal.models import Ballot, BallotCode, BallotMark, ReviewMeeting
from appraisal.selectors import meeting_cadres, meeting_results
from appraisal.services.meetings import BallotRefused, code_digest
from tests.appraisal.factories import make_meeting
from tests.residency.factories import make_cadre

YEAR = 2026
pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(directory, people):
    make_cadre(directory["v11"], username="cadre1b")
    return make_meeting(directory["v11"])


def all_satisfied(meeting, rating="satisfied"):
    return {c.pk: rating for c in meeting_cadres(meeting=meeting)}


def test_one_meeting_per_village_per_year(directory, people):
    services.meeting_create(village=directory["v11"], year=YEAR, held_on=date(YEAR, 11, 1),
                            place="村部", attendees="", by=people["township_admin"])
    with pytest.raises(ValidationError):
        services.meeting_create(village=directory["v11"], year=YEAR, held_on=date(YEAR, 12, 1),
                                place="村部", attendees="", by=people["township_admin"])
    with pytest.raises(IntegrityError), transaction.atomic():
        make_meeting(directory["v11"])


def test_meeting_date_must_be_in_its_year(directory, people):
    with pytest.raises(ValidationError):
        services.meeting_create(village=directory["v12"], year=YEAR, held_on=date(YEAR + 1, 1, 5),
                                place="村部", attendees="", by=people["township_admin"])


def test_cadres_of_the_meeting_are_those_stationed_there_that_year(meeting, people):
    names = {c.user.username for c in meeting_cadres(meeting=meeting)}
    assert names == {"cadre1", "cadre1b"}


def test_a_cadre_reports_with_an_optional_file_of_an_allowed_type(meeting, people):
    cadre = people["cadre"]
    pdf = SimpleUploadedFile("述职.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    report = services.report_submit(meeting=meeting, cadre=cadre, text="一年来住夜 80 晚", file=pdf,
                                    by=cadre.user)
    assert report.file.name.endswith(".pdf")
    exe = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(ValidationError, match="不符"):
        services.report_submit(meeting=meeting, cadre=cadre, text="x", file=exe, by=cadre.user)
    bad_ext = SimpleUploadedFile("a.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError, match="PDF"):
        services.report_submit(meeting=meeting, cadre=cadre, text="x", file=bad_ext, by=cadre.user)


def test_a_cadre_cannot_report_at_another_village(meeting, people):
    with pytest.raises(ValidationError):
        services.report_submit(meeting=meeting, cadre=people["cadre_other"], text="述职",
                               by=people["township_admin"])


def test_codes_are_random_single_use_and_stored_only_hashed(meeting, people):
    codes = services.ballot_codes_generate(meeting=meeting, kind="resident", count=20,
                                           by=people["township_admin"])
    assert len(set(codes)) == 20
    stored = set(BallotCode.objects.values_list("code_hash", flat=True))
    assert {code_digest(c) for c in codes} == stored
    assert not any(c.replace("-", "") in h for c in codes for h in stored)


def test_a_code_casts_one_anonymous_ballot_covering_every_cadre(meeting, people):
    code = services.ballot_codes_generate(meeting=meeting, kind="party", count=1,
                                          by=people["township_admin"])[0]
    ballot = services.ballot_cast(code=code.lower(), ratings=all_satisfied(meeting))
    assert ballot.kind == "party"
    assert BallotMark.objects.filter(ballot=ballot).count() == 2
    assert BallotCode.objects.get().used
    # The ballot records nothing about the code that cast it, nor when.
    fields = {f.name for f in Ballot._meta.get_fields()}
    assert fields == {"id", "meeting", "kind", "marks"}


def test_a_used_code_is_refused(meeting, people):
    code = services.ballot_codes_generate(meeting=meeting, kind="party", count=1,
                                          by=people["township_admin"])[0]
    services.ballot_cast(code=code, ratings=all_satisfied(meeting))
    with pytest.raises(BallotRefused, match="已经使用"):
        services.ballot_cast(code=code, ratings=all_satisfied(meeting, "unsatisfied"))
    assert Ballot.objects.count() == 1


def test_an_unknown_code_is_refused(meeting):
    with pytest.raises(BallotRefused, match="无效"):
        services.ballot_cast(code="ABCDE-23456", ratings=all_satisfied(meeting))


def test_a_ballot_must_rate_every_cadre(meeting, people):
    code = services.ballot_codes_generate(meeting=meeting, kind="party", count=1,
                                          by=people["township_admin"])[0]
    partial = dict(list(all_satisfied(meeting).items())[:1])
    with pytest.raises(ValidationError):
        services.ballot_cast(code=code, ratings=partial)
    assert not BallotCode.objects.get().used


def test_closing_freezes_the_meeting(meeting, people):
    admin = people["township_admin"]
    code = services.ballot_codes_generate(meeting=meeting, kind="party", count=1, by=admin)[0]
    services.meeting_close(meeting=meeting, by=admin, reason="两名干部请假未到会")
    with pytest.raises(BallotRefused, match="已结束"):
        services.ballot_cast(code=code, ratings=all_satisfied(meeting))
    with pytest.raises(ValidationError, match="已结束"):
        services.tally_set(meeting=meeting, cadre=people["cadre"], kind="party", satisfied=1,
                           basic=0, unsatisfied=0, by=admin)
    with pytest.raises(ValidationError, match="已结束"):
        services.report_submit(meeting=meeting, cadre=people["cadre"], text="迟交", by=admin)
    with pytest.raises(ValidationError, match="已结束"):
        services.ballot_codes_generate(meeting=meeting, kind="party", count=1, by=admin)
    with pytest.raises(ValidationError, match="已结束"):
        services.meeting_close(meeting=meeting, by=admin, reason="两名干部请假未到会")
    assert not BallotMark.objects.exists()


def test_satisfaction_per_kind_and_combined_from_paper_and_online(meeting, people):
    admin, cadre = people["township_admin"], people["cadre"]
    services.tally_set(meeting=meeting, cadre=cadre, kind="party", satisfied=6, basic=2,
                       unsatisfied=2, by=admin)
    codes = services.ballot_codes_generate(meeting=meeting, kind="resident", count=2, by=admin)
    services.ballot_cast(code=codes[0], ratings=all_satisfied(meeting))
    services.ballot_cast(code=codes[1], ratings=all_satisfied(meeting, "basic"))
    row = next(r for r in meeting_results(meeting=meeting, weights=Weights()) if r["cadre"] == cadre)
    assert row["party_score"] == Decimal("70.0")
    assert row["resident_score"] == Decimal("75.0")
    assert row["score"] == Decimal("70.8")  # (7 + 0.5 x 3) / 12


def test_tallies_cannot_be_negative(meeting, people):
    with pytest.raises(ValidationError):
        services.tally_set(meeting=meeting, cadre=people["cadre"], kind="party", satisfied=-1,
                           basic=0, unsatisfied=0, by=people["township_admin"])


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_use_of_a_code_casts_one_ballot(require_postgres, directory, people):
    meeting = make_meeting(directory["v11"])
    code = services.ballot_codes_generate(meeting=meeting, kind="party", count=1,
                                          by=people["township_admin"])[0]
    ratings = all_satisfied(meeting)
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def vote():
        try:
            barrier.wait()
            services.ballot_cast(code=code, ratings=ratings)
            outcomes.append("ok")
        except BallotRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=vote) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert Ballot.objects.filter(meeting=meeting).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_close_and_a_late_ballot_cannot_interleave(require_postgres, directory, people):
    meeting = make_meeting(directory["v11"])
    code = services.ballot_codes_generate(meeting=meeting, kind="party", count=1,
                                          by=people["township_admin"])[0]
    with transaction.atomic():
        ReviewMeeting.objects.select_for_update().get(pk=meeting.pk)  # a close in progress
        done = []

        def vote():
            try:
                services.ballot_cast(code=code, ratings=all_satisfied(meeting))
                done.append("ok")
            except BallotRefused:
                done.append("refused")
            finally:
                connection.close()

        t = threading.Thread(target=vote)
        t.start()
        t.join(timeout=0.5)
        assert t.is_alive()  # waits for the meeting row
        ReviewMeeting.objects.filter(pk=meeting.pk).update(status="closed", closed_at="2026-11-20T20:00+08:00")
    t.join()
    assert done == ["refused"]
