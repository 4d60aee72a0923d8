"""Domain events that later apps (notifications, appraisal) listen to, so that residency
never imports them. Send with ``transaction.on_commit(lambda: event.send(...))`` so that
listeners only hear about what was committed. Arguments are ids, never instances."""
from django.dispatch import Signal

# township_id, week_start (date), stay_ids (list[int])
week_published = Signal()
# stay_ids (list[int]), cadre_ids (list[int]): stays created, moved, swapped or deleted
# in a published week
stays_changed = Signal()
# leave_id
leave_requested = Signal()
leave_decided = Signal()
# swap_id
swap_requested = Signal()
swap_decided = Signal()
# spot_check_id
spot_check_recorded = Signal()
# stay_id, cadre_id, presence ("present" or "absent"): a township admin corrected a stay
stay_presence_corrected = Signal()
# station_id, cadre_id, village_id, end (date): a station ended (a transfer, a departure);
# nightlog ends the cadre's household links in that village on the same day
station_ended = Signal()
# job_id: a background export ended (done or failed); notifications tells the requester
export_finished = Signal()
