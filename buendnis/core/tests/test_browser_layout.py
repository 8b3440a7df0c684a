"""Phones: every form and list fits 320 and 360 px – no overlap, no sideways scrolling.

One walk through the demo as the coordinator (and the public form signed out): each page is
loaded once at 360 px, checked, narrowed to 320 px and checked again. axe and the Nu Html
Checker look at every page on the way (``ScannedPage``).
"""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from buendnis.accounts.models import User
from buendnis.activities.models import Activity
from buendnis.conftest import ScannedPage
from buendnis.core.management.commands.demo import DEMO_AGREEMENT, DEMO_PASSWORD
from buendnis.evaluation.periods import calendar_year
from buendnis.evaluation.services import evaluation_create
from buendnis.feedback.models import FeedbackLink, Questionnaire
from buendnis.feedback.services import feedback_link_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 320)

# Collisions between the labels' text (its real extent, overflow included) and the form
# controls, and anything that sticks out to the right of the screen.
LAYOUT_PROBLEMS = r"""() => {
  const visible = (el) => {
    const style = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    // Visually hidden text (kern-sr-only) is a 1 px box: nothing to collide with.
    return style.visibility !== "hidden" && style.display !== "none" && r.width > 1 && r.height > 1;
  };
  // A data table may scroll sideways inside its own region (WCAG's reflow exception).
  const inScroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(p).overflowX)) { return true; }
    }
    return false;
  };
  const textBox = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return range.getBoundingClientRect();
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.name ? "[name=" + el.name + "]" : "") +
    " «" + (el.textContent || "").trim().slice(0, 30) + "»";
  const items = [];
  document.querySelectorAll("main label, main legend").forEach((el) => {
    if (visible(el)) { items.push({el, box: textBox(el)}); }
  });
  const controls = "main input:not([type=hidden]), main select, main textarea, main button";
  document.querySelectorAll(controls).forEach((el) => {
    if (visible(el)) { items.push({el, box: el.getBoundingClientRect()}); }
  });
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) {
    const offenders = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ALL);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.nodeType === 1 ? node : node.parentElement;
      let box;
      if (node.nodeType === 1) { box = node.getBoundingClientRect(); } else {
        const range = document.createRange();
        range.selectNodeContents(node);
        box = range.getBoundingClientRect();
      }
      if (box.right > width + 1 && !inScroller(element)) { offenders.add(element); }
    }
    const wide = Array.from(offenders).filter((el) =>
      !Array.from(offenders).some((other) => other !== el && el.contains(other)));
    problems.push("page is " + document.documentElement.scrollWidth + " px wide: " +
      wide.slice(0, 3).map(name).join(", "));
  }
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  // A select must show its whole chosen value («– bitte w…» is no help) unless it already
  // takes the whole width of the page.
  const canvas = document.createElement("canvas").getContext("2d");
  const full = document.querySelector("main").clientWidth * 0.85;
  document.querySelectorAll("main select").forEach((el) => {
    if (!visible(el) || el.selectedIndex < 0 || el.getBoundingClientRect().width >= full) {
      return;
    }
    const style = getComputedStyle(el);
    canvas.font = style.font;
    const label = el.options[el.selectedIndex].text.replace(/\s+/g, " ").trim();
    const text = canvas.measureText(label).width;
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (text > room + 1) { problems.push(name(el) + " cuts its value"); }
  });
  for (let i = 0; i < items.length; i++) {
    const a = items[i];
    if (a.box.right > width + 1 && !inScroller(a.el)) {
      problems.push(name(a.el) + " ends at " + Math.round(a.box.right));
    }
    for (let j = i + 1; j < items.length; j++) {
      const b = items[j];
      if (a.el.contains(b.el) || b.el.contains(a.el)) { continue; }
      if (overlap(a.box, b.box)) { problems.push(name(a.el) + " overlaps " + name(b.el)); }
    }
  }
  return problems;
}"""


def _check_widths(page: ScannedPage, path: str) -> list[str]:
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 700})
        found = page.evaluate(LAYOUT_PROBLEMS)
        problems += [f"{path} @ {width}px: {problem}" for problem in found]
    return problems


@pytest.fixture
def demo(transactional_db: None) -> None:
    call_command("demo", "--no-serve")


def _paths() -> list[str]:
    slug = DEMO_AGREEMENT
    activity = Activity.objects.filter(agreement__slug=slug).order_by("-starts_at").first()
    questionnaire = Questionnaire.objects.filter(agreement__slug=slug).first()
    assert activity and questionnaire
    year = calendar_year(2025)
    evaluation_create(agreement=activity.agreement, period=year, by=None)
    period = year.key
    return [
        reverse("core:home"),
        reverse("agreements:list"),
        reverse("agreements:detail", args=[slug]),
        reverse("agreements:procedure_history", args=[slug]),
        reverse("activities:list"),
        reverse("activities:create", args=[slug]),
        reverse("activities:detail", args=[activity.pk]),
        reverse("activities:edit", args=[activity.pk]),
        reverse("activities:import"),
        reverse("activities:network"),
        reverse("activities:formats", args=[slug]),
        reverse("counselling:list"),
        reverse("counselling:create", args=[slug]),
        reverse("counselling:topics", args=[slug]),
        reverse("counselling:statistics", args=[slug]),
        reverse("evaluation:list", args=[slug]),
        reverse("evaluation:detail", args=[slug, period]),
        reverse("evaluation:report", args=[slug, period]),
        reverse("feedback:activity", args=[activity.pk]),
        reverse("feedback:activity_results", args=[activity.pk]),
        reverse("feedback:results", args=[slug]),
        reverse("feedback:questionnaires", args=[slug]),
        reverse("feedback:questionnaire", args=[questionnaire.pk]),
        reverse("feedback:questionnaire_add_language", args=[questionnaire.pk]),
        reverse("accounts:profile"),
        reverse("accounts:password_change"),
        reverse("accounts:people_list"),
        reverse("accounts:invitation_create"),
        reverse("accounts:person_detail", args=[User.objects.get(username="fachkraft").pk]),
    ]


def test_every_form_and_list_fits_a_small_phone(
    demo: None, page: ScannedPage, live_server: object
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.set_default_navigation_timeout(60_000)  # the report page on a busy shared machine
    page.set_viewport_size({"width": 360, "height": 700})
    page.goto(f"{base}{reverse('accounts:login')}")
    problems = _check_widths(page, "login")
    page.get_by_label("Benutzername").fill("koordination")
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    # The navigation leaves room for the page: at most a fifth of a 640 px tall phone.
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 640})
        header = page.evaluate("() => document.querySelector('header').offsetHeight")
        print(f"header at {width} px: {header} px")
        assert header <= 128, (width, header)

    paths = _paths()
    for path in paths:
        page.set_viewport_size({"width": 360, "height": 700})
        page.goto(f"{base}{path}")
        assert page.evaluate("() => document.title") != "", path
        problems += _check_widths(page, path)

    link = FeedbackLink.objects.filter(activity__agreement__slug=DEMO_AGREEMENT).first()
    link = link or feedback_link_ensure(
        activity=Activity.objects.filter(agreement__slug=DEMO_AGREEMENT).latest("starts_at")
    )
    page.context.clear_cookies()
    page.goto(f"{base}{reverse('accounts:password_reset')}")
    problems += _check_widths(page, "password reset")
    page.set_viewport_size({"width": 360, "height": 700})
    page.goto(f"{base}{reverse('feedback:respond', args=[link.code])}")
    problems += _check_widths(page, "public form")

    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)
