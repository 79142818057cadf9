"""Learning features in a real browser: confidence and calibration, the mistake journal, readiness for an
interview date, leeches, follow-up drill-downs, rating intervals, review ahead, my state in the bank, my
notes; then every new page and section on a phone and a desktop, light and dark."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from interviews.chains import create_interview
from interviews.models import FollowUp, JournalEntry, Note, Profile, Question, Quiz, ReviewCard
from interviews.quizzes import create_quiz
from tests.browser.conftest import log_in, screenshot
from tests.factories import add_choices, make_question, make_topic

CHAIN = [
    "Why does BatchNorm behave differently in training and in evaluation?",
    "What breaks when you train with BatchNorm at batch size 1?",
    "What would you use instead of BatchNorm for small batches?",
]


def single(topic, prompt, right, wrong):
    question = Question.objects.create(topic=topic, slug=re.sub(r"\W+", "-", prompt.lower()).strip("-")[:100],
                                       prompt=prompt, kind="single", status="published",
                                       answer="Because of how the layer works.")  # fmt: skip
    add_choices(question, [(right, True), (wrong, False), ("Neither of them", False)])
    question.record_content_change()
    return question


@pytest.fixture
def bank(db):
    core = make_topic("pytorch-core", "PyTorch core", order=1)
    norms = make_topic("normalization", "Normalization", order=2)
    singles = [
        single(core, "Which call computes the gradients of the loss?", "loss.backward()", "optimizer.step()"),
        single(core, "Which call updates the weights?", "optimizer.step()", "loss.backward()"),
        single(norms, "Which layer keeps running statistics?", "nn.BatchNorm2d", "nn.LayerNorm"),
        single(norms, "Which mode uses the running statistics?", "model.eval()", "model.train()"),
    ]
    chain = [make_question(norms, kind="open", prompt=prompt) for prompt in CHAIN]
    FollowUp.objects.create(question=chain[0], follow_up=chain[1])
    FollowUp.objects.create(question=chain[1], follow_up=chain[2])
    extra = make_question(norms, kind="open", prompt="How does LayerNorm differ from RMSNorm?")
    return {"singles": singles, "chain": chain, "extra": extra}


def quiz_of(user, questions, mode="practice"):
    pool = Question.objects.filter(pk__in=[q.pk for q in questions])
    return create_quiz(user=user, questions=pool, mode=mode, size=len(questions), title=f"{mode.title()} quiz",
                       now=timezone.now())  # fmt: skip


def answer_with_client(user, question, *, right, confidence=None):
    """Answer outside the browser (setting the scene): through the app, as a plain form post."""
    client = Client()
    client.force_login(user)
    quiz = quiz_of(user, [question])
    choice = question.choices.filter(is_correct=right).first()
    data = {"action": "answer", "question": question.pk, "choice": choice.pk}
    client.post(quiz.get_absolute_url(), data | ({"confidence": confidence} if confidence else {}))


def card_text(page):
    return page.locator("#question-card")


# Confidence before checking, and calibration


def test_say_how_sure_then_see_calibration(signed_in_page, live_server, learner, bank):
    page = signed_in_page
    first, second = bank["singles"][:2]
    quiz = quiz_of(learner, [first, second])
    page.goto(live_server.url + quiz.get_absolute_url())
    for number in (1, 2):
        expect(page.get_by_text(f"Question {number} of 2")).to_be_visible()
        question = Question.objects.get(prompt=card_text(page).get_by_role("heading", level=2).inner_text())
        sure = page.get_by_role("radio", name=re.compile("^Sure"))
        guessing = page.get_by_role("radio", name=re.compile("^Guessing"))
        if question == first:  # right, but guessing: keyboard G, a click on the right choice
            page.keyboard.press("g")
            expect(guessing).to_be_checked()
            page.get_by_role("radio", name="loss.backward()").check()
        else:  # sure, and wrong
            sure.check()
            page.get_by_role("radio", name="loss.backward()").check()
        page.get_by_role("button", name=re.compile("Check answer")).click()
        feedback = card_text(page).get_by_role("status")
        if question == first:
            expect(feedback).to_contain_text("A right guess counts as Hard, so this question comes back sooner.")
        else:
            expect(feedback).to_contain_text("Sure but wrong")
        page.get_by_role("link", name=re.compile("Next question|See your results")).click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    calibration = page.locator("#calibration")
    expect(calibration.get_by_role("heading", name="Calibration: how sure, how right")).to_be_visible()
    expect(calibration.get_by_role("img", name="Sure: 0% right, 0 of 1 answers")).to_be_visible()
    expect(calibration.get_by_role("img", name="Guessing: 100% right, 1 of 1 answers")).to_be_visible()
    expect(calibration.get_by_role("link", name=second.prompt)).to_be_visible()
    calibration.get_by_role("button", name="Practise these").click()
    expect(page.get_by_text("Question 1 of 1")).to_be_visible()


# The mistake journal


def test_journal_tag_a_reason_filter_and_drill(signed_in_page, live_server, learner, bank):
    for question in bank["singles"][:3]:
        answer_with_client(learner, question, right=False)
    page = signed_in_page
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Journal").click()
    expect(page.get_by_role("heading", name="Mistake journal")).to_be_visible()
    expect(page.get_by_text("3 open mistakes")).to_be_visible()
    entry = page.locator(".journal-entry").filter(has_text="Which layer keeps running statistics?")
    entry.get_by_label("Why did you miss it?").select_option(label="Mixed it up with something else")
    entry.get_by_label("In your own words (optional)").fill("Thought of LayerNorm")
    entry.get_by_role("button", name="Save reason").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    assert JournalEntry.objects.get(question=bank["singles"][2]).reason == "mixed_up"

    page.get_by_role("search", name="Filter the journal").get_by_label("Reason").select_option(
        label="No reason given yet"
    )
    expect(page).to_have_url(re.compile("reason=none"))
    expect(page.get_by_text("2 entries")).to_be_visible()
    page.get_by_role("button", name=re.compile("Drill my open mistakes")).click()
    expect(page.get_by_text("Question 1 of 3")).to_be_visible()
    assert Quiz.objects.filter(user=learner, title="Drill my open mistakes").exists()


def test_journal_works_without_javascript(browser, live_server, learner, bank):
    answer_with_client(learner, bank["singles"][0], right=False)
    context = browser.new_context(java_script_enabled=False)
    log_in(context, learner, live_server)
    page = context.new_page()
    page.goto(live_server.url + "/journal/")
    page.get_by_label("Why did you miss it?").select_option(label="Careless slip")
    page.get_by_role("button", name="Save reason").click()
    expect(page.get_by_text("Reason saved.")).to_be_visible()
    expect(page.get_by_label("Why did you miss it?")).to_have_value("careless")
    context.close()


# Readiness for a dated interview


def test_set_an_interview_date_and_see_readiness_and_the_plan(signed_in_page, live_server, learner, bank):
    answer_with_client(learner, bank["singles"][0], right=True)
    day = timezone.localdate() + timedelta(days=14)
    page = signed_in_page
    page.goto(live_server.url + "/accounts/")
    page.get_by_label("Date of my interview").fill(day.isoformat())
    page.get_by_label("Most new questions per day before an interview").fill("25")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    assert Profile.objects.get(user=learner).interview_date == day

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    readiness = page.locator("#readiness")
    expect(readiness.get_by_role("heading", name=f"Ready by {day:%A} {day.day} {day:%B}?")).to_be_visible()
    expect(readiness).to_contain_text("questions a day until")
    expect(readiness.get_by_role("img", name=re.compile(r"^PyTorch core: predicted recall \d+%"))).to_be_visible()
    page.get_by_role("link", name="ML Interview Prep").click()
    expect(page.locator("#readiness").get_by_text("Not yet")).to_be_visible()
    page.get_by_role("link", name="Review today's questions").click()
    expect(page.get_by_text(re.compile(r"new questions? to start"))).to_be_visible()


# Leeches


def test_a_leech_is_badged_in_review_and_can_be_suspended(signed_in_page, live_server, learner, bank):
    question = bank["singles"][2]
    ReviewCard.objects.create(user=learner, question=question, state=2, stability=2.0, difficulty=9.0, reps=14,
                              lapses=4, due=timezone.now() - timedelta(hours=1),
                              last_review=timezone.now() - timedelta(days=2))  # fmt: skip
    page = signed_in_page
    page.goto(live_server.url + "/review/")
    page.get_by_role("button", name="Start review (1)").click()
    expect(card_text(page).get_by_text("Leech", exact=True)).to_be_visible()
    expect(card_text(page)).to_contain_text("You have forgotten this one 4 times.")
    page.get_by_role("radio", name="nn.BatchNorm2d").check()
    page.get_by_role("button", name=re.compile("Check answer")).click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    leeches = page.locator("#leeches")
    expect(leeches.get_by_role("link", name=question.prompt)).to_be_visible()
    leeches.get_by_role("button", name=re.compile("^Suspend from review")).click()
    expect(page.get_by_text("is out of your reviews until you put it back")).to_be_visible()
    assert ReviewCard.objects.get(user=learner, question=question).suspended
    page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("Review")).click()
    page.get_by_role("link", name="leeches").click()
    page.get_by_role("button", name=re.compile("^Put back in review")).click()  # htmx swaps the list
    expect(page.get_by_role("status")).to_contain_text("is back in your reviews")
    assert not ReviewCard.objects.get(user=learner, question=question).suspended


# Follow-up drill-downs, with the rating buttons' intervals


def test_an_interview_drill_down_stops_at_the_first_miss(signed_in_page, live_server, learner, bank):
    page = signed_in_page
    page.goto(live_server.url + "/quiz/new/")
    page.get_by_role("radio", name=re.compile("^Interview:")).check()
    expect(page.get_by_label("Ask follow-up questions as drill-downs")).to_be_checked()
    page.get_by_label("Number of questions").fill("5")
    page.get_by_role("button", name="Start quiz").click()
    expect(page.get_by_text(re.compile(r"Question 1 of 4"))).to_be_visible()
    results = page.get_by_role("heading", name=re.compile("You scored"))
    reveal = card_text(page).get_by_role("button", name=re.compile("Reveal the model answer"))
    while True:
        expect(results.or_(reveal)).to_be_visible()
        if results.is_visible():
            break
        card = card_text(page)
        prompt = card.get_by_role("heading", level=2).inner_text()
        card.get_by_role("radio", name=re.compile("^Think so")).check()
        card.get_by_role("button", name=re.compile("Reveal the model answer")).click()
        expect(card.get_by_role("button", name=re.compile("^Good 3"))).to_be_visible()
        expect(card.get_by_text("Each button says when the question comes back.")).to_be_visible()
        # Level 1 of the drill-down goes well, level 2 does not: the interviewer stops there.
        page.keyboard.press("2" if prompt == CHAIN[1] else "3")
        expect(card.get_by_role("status")).to_contain_text("You rated yourself")
        if prompt == CHAIN[1]:
            expect(card.get_by_text("The drill-down stops here")).to_be_visible()
        page.keyboard.press("n")
    expect(page.get_by_text("1 of 3 levels cleared: stopped at level 2")).to_be_visible()
    expect(page.get_by_text("1 deeper follow-up not asked.")).to_be_visible()
    quiz = Quiz.objects.get(user=learner)
    assert quiz.size == 3 and not quiz.items.filter(question__prompt=CHAIN[2]).exists()


# Review ahead, my state in the bank, my notes


def test_review_ahead_filter_the_bank_by_my_state_and_list_my_notes(signed_in_page, live_server, learner, bank):
    first, second = bank["singles"][:2]
    answer_with_client(learner, first, right=True)
    answer_with_client(learner, second, right=False)
    ReviewCard.objects.filter(user=learner).update(due=timezone.now() + timedelta(days=3))
    page = signed_in_page
    page.goto(live_server.url + "/review/")
    expect(page.get_by_text("Nothing is due right now.")).to_be_visible()
    page.get_by_role("button", name="Review ahead: the 2 questions due soonest").click()
    expect(page.get_by_text("Question 1 of 2")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Questions").click()
    page.get_by_label("My progress").select_option(label="Missed")
    expect(page).to_have_url(re.compile("state=missed"))
    results = page.get_by_role("region", name="Results")
    expect(results.get_by_text("1 question")).to_be_visible()
    results.get_by_role("link", name=second.prompt).click()
    page.get_by_label("Your private note").fill("**step()** applies the gradients.")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_role("status").filter(has_text="Note saved.")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Notes").click()
    notes = page.get_by_role("region", name="Notes")
    expect(notes.get_by_role("link", name=second.prompt, exact=True)).to_be_visible()
    expect(notes.locator("strong")).to_have_text("step()")
    notes.get_by_role("link", name=f"Edit the note on: {second.prompt}").click()
    expect(page).to_have_url(re.compile(r"#note$"))


# Every new page and section on a phone and a desktop, light and dark


def rich_history(learner, bank):
    """A learner a week into preparing: confidence given, misses journaled, a leech, a drill-down, notes."""
    day = timezone.localdate() + timedelta(days=12)
    Profile.objects.create(user=learner, interview_date=day, new_per_day_cap=25)
    singles, chain = bank["singles"], bank["chain"]
    for question, right, confidence in [(singles[0], True, 3), (singles[1], False, 3), (singles[2], True, 1),
                                        (singles[3], False, 2), (singles[0], True, 2)]:  # fmt: skip
        answer_with_client(learner, question, right=right, confidence=confidence)
    JournalEntry.objects.filter(question=singles[1]).update(reason="mixed_up", note="step() is not backward()")
    ReviewCard.objects.filter(user=learner, question=singles[3]).update(lapses=5)
    Note.objects.create(user=learner, question=singles[2], body="BatchNorm keeps **running** mean and variance.")
    Note.objects.create(user=learner, question=chain[0], body="Eval uses running stats; train uses batch stats.")
    client = Client()
    client.force_login(learner)
    drill = create_interview(user=learner, questions=Question.objects.filter(pk=chain[0].pk), size=5,
                             title="Interview quiz", now=timezone.now())  # fmt: skip
    for item, rating in zip(drill.items.order_by("position"), ["good", "hard"], strict=False):
        client.post(drill.get_absolute_url(), {"action": "answer", "question": item.question_id, "text": "My answer"})
        client.post(drill.get_absolute_url(), {"action": "rate", "question": item.question_id, "rating": rating})
    practice = quiz_of(learner, singles[:2])
    interview = quiz_of(learner, [bank["extra"]], mode="interview")
    client.post(interview.get_absolute_url(), {"action": "answer", "question": bank["extra"].pk, "text": "",
                                                "confidence": 2})  # fmt: skip
    ReviewCard.objects.filter(user=learner).update(due=timezone.now() + timedelta(days=2))  # nothing due: ahead
    return {"results": f"/quiz/{drill.pk}/results/", "question": practice.get_absolute_url(),
            "rating": interview.get_absolute_url()}  # fmt: skip


def test_screenshots_of_every_new_page_light_dark_phone_desktop(browser, live_server, learner, other_learner, bank):
    urls = rich_history(learner, bank)
    for question in bank["singles"][:3]:  # someone with nothing due and no interview date: review ahead
        answer_with_client(other_learner, question, right=True)
    ReviewCard.objects.filter(user=other_learner).update(due=timezone.now() + timedelta(days=4))
    pages = {
        "home": "/",
        "dashboard-learning": "/dashboard/",
        "journal": "/journal/",
        "leeches": "/review/leeches/",
        "notes": "/notes/",
        "questions-state": "/questions/",
        "account-interview": "/accounts/",
        "quiz-confidence": urls["question"],
        "quiz-rating-intervals": urls["rating"],
        "results-drill-down": urls["results"],
    }
    for scheme in ("light", "dark"):
        for size, viewport in (("phone", {"width": 390, "height": 844}), ("desktop", {"width": 1280, "height": 900})):
            context = browser.new_context(color_scheme=scheme, viewport=viewport)
            log_in(context, other_learner, live_server)
            page = context.new_page()
            page.goto(live_server.url + "/review/")
            expect(page.get_by_role("button", name=re.compile("^Review ahead"))).to_be_visible()
            screenshot(page, f"learning/review-ahead-{size}-{scheme}")
            context.clear_cookies()
            log_in(context, learner, live_server)
            for name, url in pages.items():
                page.goto(live_server.url + url)
                expect(page.get_by_role("heading", level=1)).to_be_visible()
                # Nothing may run off the side of a phone.
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, f"{name} is {overflow}px too wide at {size}"
                screenshot(page, f"learning/{name}-{size}-{scheme}")
            context.close()
