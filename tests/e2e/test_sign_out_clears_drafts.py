"""Signing out on a shared phone leaves no visit draft behind (issue 11, finding 9): the
drafts kept in localStorage are gone after the logout, other storage of the site is not
the header Clear-Site-Data covers HTTPS, the login page's script plain HTTP. Also: the confirm dialogs run from static/js/page_actions.js
under the Content-Security-Policy (no inline handlers)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.e2e.conftest import login, logout

pytestmark = pytest.mark.e2e


def test_signing_out_deletes_the_visit_drafts_from_the_phone(live_server, people, households, phone_page):
    page = phone_page
    login(page, live_server, "cadre1")
    page.evaluate("""() => {
        localStorage.setItem("nightlog-draft:new", JSON.stringify({data: {situation: "草稿"}}));
        localStorage.setItem("nightlog-draft:visit-7", "{}");
    }""")
    logout(page)
    assert "/accounts/login/" in page.url
    left = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('nightlog-draft:'))")
    assert left == []


def test_the_login_page_deletes_the_drafts_where_the_header_is_ignored(live_server, people, households,
                                                                       phone_page):
    """Browsers honour Clear-Site-Data only on HTTPS (and localhost): an intranet served over
    plain HTTP relies on the login page's script. The header is stripped here to show it."""
    page = phone_page
    login(page, live_server, "cadre1")
    page.evaluate("() => localStorage.setItem('nightlog-draft:new', '{}')")

    def without_header(route):
        response = route.fetch(max_redirects=0)
        headers = {k: v for k, v in response.headers.items() if k.lower() != "clear-site-data"}
        route.fulfill(response=response, headers=headers)

    page.route("**/accounts/logout/", without_header)
    logout(page)
    assert "signed_out=1" in page.url
    assert page.evaluate("() => localStorage.getItem('nightlog-draft:new')") is None


def test_a_confirm_dialog_still_guards_a_form_and_cancel_sends_nothing(live_server, people, directory,
                                                                      desktop_page):
    from residency.models import Leave
    from tests.residency.roster.factories import make_leave

    soon = date.today() + timedelta(days=3)
    leave = make_leave(people["cadre"], soon, soon, status=Leave.Status.PENDING)
    page = desktop_page
    login(page, live_server, "cadre1")
    page.goto(f"{live_server.url}/residency/leaves/")
    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
    page.click("form[data-confirm] button")
    page.wait_for_timeout(300)
    assert messages and "撤销" in messages[0]
    leave.refresh_from_db()
    assert leave.status == Leave.Status.PENDING
