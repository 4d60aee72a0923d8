"""Review meetings (述职评议大会): reports, paper tallies, single-use ballot codes and
anonymous online ballots. Every write locks the meeting row first and refuses once the
meeting is closed, so a close and a late ballot cannot interleave."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residency import audit
from residency.access.roles import Role
from residency.bounded_input import check_date
from residency.models import Cadre, Village

from .. import events
from ..models import (
    Ballot,
    BallotCode,
    BallotMark,
    CadreReport,
    PaperTally,
    Rating,
    RepresentativeKind,
    ReviewMeeting,
)
from ..selectors.meetings import meeting_cadres
from ..selectors.season import meeting_gaps
from ..validators import validate_report_file
from ._authority import require

ORGANISERS = (Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT)
# No 0/O, 1/I/L: codes are read off paper and typed on a phone.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10  # 31^10 ~ 8e14 possibilities
MAX_CODES_PER_REQUEST = 500


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_digest(code: str) -> str:
    """Keyed hash of a code: the table alone does not reveal or let anyone test codes."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()


def _open_meeting(meeting: ReviewMeeting) -> ReviewMeeting:
    locked = ReviewMeeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status == ReviewMeeting.Status.CLOSED:
        raise ValidationError(_("评议大会已结束,不能再修改。"))
    return locked


@transaction.atomic
def meeting_create(*, village: Village, year: int, held_on: date, place: str, attendees: str,
                   by) -> ReviewMeeting:
    require(by, village, *ORGANISERS)
    check_date(held_on, field="held_on")
    if held_on.year != year:
        raise ValidationError({"held_on": _("会议日期须在该年度内。")})
    meeting = ReviewMeeting(village=village, year=year, held_on=held_on, place=place.strip(),
                            attendees=attendees.strip(), created_by=by)
    meeting.full_clean()  # one meeting per village per year: a clear message, not a 500
    meeting.save()
    audit.record("meeting_create", obj=meeting, user=by)
    return meeting


@transaction.atomic
def meeting_close(*, meeting: ReviewMeeting, by, reason: str = "") -> ReviewMeeting:
    """Closing freezes the meeting: reports, tallies, codes and ballots are refused after.

    Every cadre of the meeting reports (述职) and is rated (测评): while one has no report
    or no rating the meeting closes only if the organiser records why (``reason``)."""
    require(by, meeting, *ORGANISERS)
    locked = _open_meeting(meeting)
    reason = (reason or "").strip()
    gaps = meeting_gaps(meeting=locked)
    if gaps and not reason:
        raise ValidationError({"reason": _(
            "以下干部尚未述职或未获测评:%(names)s。请补齐,或说明原因后再结束。") % {
            "names": "、".join(gap_label(g) for g in gaps)}})
    locked.status = ReviewMeeting.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.closed_by = by
    locked.close_reason = reason if gaps else ""
    locked.full_clean()
    locked.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])
    audit.record("meeting_close", obj=locked, user=by, gaps=len(gaps))
    events.send_on_commit(events.meeting_closed, meeting_id=locked.pk)
    return locked


def gap_label(gap) -> str:
    """“张三(未述职、未测评)”."""
    missing = [text for flag, text in ((gap.has_report, _("未述职")), (gap.has_rating, _("未测评")))
               if not flag]
    return f"{gap.cadre.name}({'、'.join(missing)})"


def _check_cadre(meeting: ReviewMeeting, cadre: Cadre) -> None:
    if not meeting_cadres(meeting=meeting).filter(pk=cadre.pk).exists():
        raise ValidationError(_("该干部当年未驻该村,不参加本次评议。"))


@transaction.atomic
def report_submit(*, meeting: ReviewMeeting, cadre: Cadre, text: str, file=None, by) -> CadreReport:
    """The cadre's 述职 (by the cadre, or entered by the organiser). Replaces an earlier one."""
    if getattr(getattr(by, "cadre", None), "pk", None) != cadre.pk:
        require(by, meeting, *ORGANISERS)
    locked = _open_meeting(meeting)
    _check_cadre(locked, cadre)
    if file:
        validate_report_file(file)
    report = CadreReport.objects.filter(meeting=locked, cadre=cadre).first() or CadreReport(
        meeting=locked, cadre=cadre)
    report.text = text.strip()
    if file:
        report.file = file
    report.submitted_at = timezone.now()
    report.full_clean()
    report.save()
    audit.record("report_submit", obj=report, user=by)
    return report


@transaction.atomic
def tally_set(*, meeting: ReviewMeeting, cadre: Cadre, kind: str, satisfied: int, basic: int,
              unsatisfied: int, by) -> PaperTally:
    """The township admin's count of the paper ballots for one cadre and one kind."""
    require(by, meeting, *ORGANISERS)
    locked = _open_meeting(meeting)
    _check_cadre(locked, cadre)
    if min(satisfied, basic, unsatisfied) < 0:
        raise ValidationError(_("票数不能为负数。"))
    tally = PaperTally.objects.filter(meeting=locked, cadre=cadre, kind=kind).first() or PaperTally(
        meeting=locked, cadre=cadre, kind=kind)
    tally.satisfied, tally.basic, tally.unsatisfied = satisfied, basic, unsatisfied
    tally.full_clean()
    tally.save()
    audit.record("tally_set", obj=tally, user=by, kind=kind, satisfied=satisfied, basic=basic,
                 unsatisfied=unsatisfied)
    return tally


@transaction.atomic
def ballot_codes_generate(*, meeting: ReviewMeeting, kind: str, count: int, by) -> list[str]:
    """``count`` new single-use codes for one kind of representative. The plain codes are
    returned once (to print); only their keyed hashes are stored."""
    require(by, meeting, *ORGANISERS)
    if kind not in RepresentativeKind.values:
        raise ValidationError(_("代表类别无效。"))
    if not 1 <= count <= MAX_CODES_PER_REQUEST:
        raise ValidationError(_("每次可生成 1 至 %(n)s 个投票码。") % {"n": MAX_CODES_PER_REQUEST})
    locked = _open_meeting(meeting)
    codes = ["".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
             for _n in range(count)]
    BallotCode.objects.bulk_create(
        [BallotCode(meeting=locked, kind=kind, code_hash=code_digest(c)) for c in codes])
    audit.record("ballot_codes_generate", obj=locked, user=by, kind=kind, count=count)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


class BallotRefused(ValidationError):
    """A ballot code that cannot vote: unknown, used, or its meeting closed."""


def ballot_code_check(*, code: str) -> BallotCode:
    """The unused code for ``code`` (no lock: for showing the form)."""
    found = (BallotCode.objects.select_related("meeting__village__township")
             .filter(code_hash=code_digest(code)).first())
    if found is None:
        raise BallotRefused(_("投票码无效,请核对后重新输入。"))
    if found.used:
        raise BallotRefused(_("此投票码已经使用过,每个投票码只能投票一次。"))
    if found.meeting.status == ReviewMeeting.Status.CLOSED:
        raise BallotRefused(_("本次评议大会已结束,不能再投票。"))
    return found


@transaction.atomic
def ballot_cast(*, code: str, ratings: dict[int, str]) -> Ballot:
    """One code, one ballot covering every cadre of the meeting. The code is marked used
    and the ballot is stored apart from it, in one transaction under row locks, so a code
    cannot vote twice even concurrently and the ballot cannot be traced to its code."""
    digest = code_digest(code)
    row = BallotCode.objects.filter(code_hash=digest).values("meeting_id").first()
    if row is None:
        raise BallotRefused(_("投票码无效,请核对后重新输入。"))
    meeting = ReviewMeeting.objects.select_for_update().get(pk=row["meeting_id"])
    if meeting.status == ReviewMeeting.Status.CLOSED:
        raise BallotRefused(_("本次评议大会已结束,不能再投票。"))
    ballot_code = BallotCode.objects.select_for_update().get(code_hash=digest)
    if ballot_code.used:
        raise BallotRefused(_("此投票码已经使用过,每个投票码只能投票一次。"))
    cadre_ids = set(meeting_cadres(meeting=meeting).values_list("pk", flat=True))
    if set(ratings) != cadre_ids:
        raise ValidationError(_("请对每一位干部作出评价。"))
    if any(r not in Rating.values for r in ratings.values()):
        raise ValidationError(_("评价选项无效。"))
    updated = BallotCode.objects.filter(pk=ballot_code.pk, used=False).update(used=True)
    if updated != 1:  # belt and braces under the lock
        raise BallotRefused(_("此投票码已经使用过,每个投票码只能投票一次。"))
    ballot = Ballot.objects.create(meeting=meeting, kind=ballot_code.kind)
    BallotMark.objects.bulk_create(
        [BallotMark(ballot=ballot, cadre_id=cid, rating=r) for cid, r in sorted(ratings.items())])
    return ballot
