"""Fill the database with realistic learners and answers spread over a year, for demos and benchmarks.

Deterministic for a given --seed (and day: times are laid out backwards from today's midnight UTC).
Inserts in batches inside transactions, so memory stays flat whatever --answers is.
"""

import random
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import reset_queries, transaction

from interviews.models import Answer, Profile, Question, Quiz, QuizQuestion, ReviewCard

ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
]
DIFFICULTY_PENALTY = {"easy": 0.0, "medium": 0.12, "hard": 0.25}
QUIZ_SIZE = 20
BATCH_QUIZZES = 400


class Command(BaseCommand):
    help = "Create demo learners with quizzes and answers over the last year (bulk inserts, in batches)."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=100)
        parser.add_argument("--answers", type=int, default=100_000, help="Answers in all, across every learner.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--heavy-user", default="", help="Username of one learner who gets --heavy-answers.")
        parser.add_argument("--heavy-answers", type=int, default=0)
        parser.add_argument("--light-user", default="", help="Username of one learner who gets --light-answers.")
        parser.add_argument("--light-answers", type=int, default=0)
        parser.add_argument("--password", default="demo-password-123", help="Password of every demo learner.")

    def handle(self, *args, **opts):
        started = time.perf_counter()
        users, total = opts["users"], opts["answers"]
        if users < 1 or total < 0 or opts["days"] < 1:
            raise CommandError("--users and --days must be at least 1, --answers at least 0.")
        special = opts["heavy_answers"] * bool(opts["heavy_user"]) + opts["light_answers"] * bool(opts["light_user"])
        if special > total:
            raise CommandError("--heavy-answers plus --light-answers cannot exceed --answers.")
        questions = list(
            Question.objects.published()
            .filter(kind__in=["single", "multiple", "true_false", "short"])
            .values_list("id", "difficulty", "kind")
        )
        if len(questions) < QUIZ_SIZE:
            raise CommandError("Load the question bank first (manage.py load_question_bank).")
        rng = random.Random(opts["seed"])
        learners = self._create_learners(users, opts, rng)
        plan = self._plan(learners, total, opts, rng)
        self.stdout.write(f"Creating {total:,} answers for {len(learners):,} learners ...")
        end = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        done = 0
        batch = []
        for learner, count in plan:
            batch.extend(self._quizzes_for(learner, count, questions, end, opts["days"], rng))
            if len(batch) >= BATCH_QUIZZES:
                done += self._insert(batch)
                reset_queries()  # with DEBUG on, Django would otherwise keep every bulk INSERT's SQL
                batch = []
                self._progress(done, total, started)
        if batch:
            done += self._insert(batch)
        self._progress(done, total, started)
        self._cards(learners, end, rng)
        self.stdout.write(self.style.SUCCESS(f"Done: {done:,} answers in {time.perf_counter() - started:.1f}s."))

    def _create_learners(self, users, opts, rng):
        User = get_user_model()
        password = make_password(opts["password"])
        specials = [name for name in (opts["heavy_user"], opts["light_user"]) if name]
        names = specials + [f"demo{n:05d}" for n in range(users)][: max(0, users - len(specials))]
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        User.objects.bulk_create(
            [User(username=n, email=f"{n}@example.com", password=password) for n in names if n not in existing],
            batch_size=1000,
        )
        learners = list(User.objects.filter(username__in=names).order_by("username"))
        # Draw for every learner, existing or not, so the same seed always gives the same data.
        chosen = {u.pk: rng.choice(ZONES) for u in learners}
        profiles = {p.user_id for p in Profile.objects.filter(user__in=learners)}
        Profile.objects.bulk_create(
            [Profile(user=u, time_zone=chosen[u.pk]) for u in learners if u.pk not in profiles], batch_size=1000
        )
        zones = dict(Profile.objects.filter(user__in=learners).values_list("user_id", "time_zone"))
        for learner in learners:
            learner.zone = ZoneInfo(zones[learner.pk])
            learner.skill = rng.uniform(0.45, 0.9)
        return learners

    def _plan(self, learners, total, opts, rng):
        fixed = {opts["heavy_user"]: opts["heavy_answers"], opts["light_user"]: opts["light_answers"]}
        fixed.pop("", None)
        others = [u for u in learners if u.username not in fixed]
        left = total - sum(fixed.values())
        weights = [rng.lognormvariate(0, 1) for _ in others]
        scale = left / sum(weights) if weights else 0
        counts = [int(w * scale) for w in weights]
        for i in range(left - sum(counts)):
            counts[i % len(counts)] += 1
        return [(u, fixed[u.username]) for u in learners if u.username in fixed] + list(
            zip(others, counts, strict=True)
        )

    def _quizzes_for(self, learner, count, questions, end, days, rng):
        """Quizzes of up to 20 distinct questions on random days, more often lately."""
        quizzes = []
        while count > 0:
            size = min(QUIZ_SIZE, count)
            count -= size
            day_offset = int(days * rng.random() ** 1.5)
            started = end - timedelta(days=day_offset, seconds=rng.randint(0, 86_000))
            progress = 1 - day_offset / days  # learners get better over the year
            drawn = rng.sample(questions, size)
            moment = started
            answers = []
            for question_id, difficulty, _kind in drawn:
                seconds = rng.randint(4, 90)
                moment += timedelta(seconds=seconds)
                chance = learner.skill + 0.1 * progress - DIFFICULTY_PENALTY[difficulty]
                answers.append((question_id, rng.random() < chance, seconds * 1000, moment))
            quizzes.append((learner, "exam" if rng.random() < 0.15 else "practice", started, answers))
        # Inserted in time order, so later answers get higher ids, as real ones do ("latest attempt").
        return sorted(quizzes, key=lambda quiz: quiz[2])

    @transaction.atomic
    def _insert(self, batch) -> int:
        quizzes = Quiz.objects.bulk_create(
            [
                Quiz(
                    user=learner,
                    title="Exam" if mode == "exam" else "Practice quiz",
                    mode=mode,
                    status="finished",
                    size=len(answers),
                    answered_count=len(answers),
                    correct_count=sum(a[1] for a in answers),
                    score_percent=round(100 * sum(a[1] for a in answers) / len(answers)),
                    created_at=started,
                    finished_at=answers[-1][3],
                )
                for learner, mode, started, answers in batch
            ]
        )
        items = QuizQuestion.objects.bulk_create(
            [
                QuizQuestion(quiz=quiz, question_id=a[0], position=position)
                for quiz, (_, _, _, answers) in zip(quizzes, batch, strict=True)
                for position, a in enumerate(answers, 1)
            ],
            batch_size=2000,
        )
        rows, index = [], 0
        for quiz, (learner, _, _, answers) in zip(quizzes, batch, strict=True):
            for question_id, correct, ms, moment in answers:
                rows.append(
                    Answer(
                        quiz=quiz,
                        item=items[index],
                        question_id=question_id,
                        user=learner,
                        question_version=1,
                        is_correct=correct,
                        time_taken_ms=ms,
                        answered_at=moment,
                        updated_at=moment,
                        local_day=moment.astimezone(learner.zone).date(),
                    )
                )
                index += 1
        Answer.objects.bulk_create(rows, batch_size=2000)
        return len(rows)

    def _cards(self, learners, end, rng):
        """A review card per question each learner has seen, due over the coming weeks."""
        for start in range(0, len(learners), 200):
            chunk = learners[start : start + 200]
            pairs = Answer.objects.filter(user__in=chunk).order_by().values_list("user_id", "question_id").distinct()
            existing = set(ReviewCard.objects.filter(user__in=chunk).values_list("user_id", "question_id"))
            ReviewCard.objects.bulk_create(
                [
                    ReviewCard(
                        user_id=u,
                        question_id=q,
                        state=2,
                        reps=rng.randint(1, 6),
                        stability=rng.uniform(1, 60),
                        difficulty=rng.uniform(2, 8),
                        last_review=end - timedelta(days=rng.randint(1, 30)),
                        due=end + timedelta(days=rng.randint(-3, 40), hours=rng.randint(0, 23)),
                        first_reviewed_at=end - timedelta(days=rng.randint(30, 300)),
                    )
                    for u, q in pairs
                    if (u, q) not in existing
                ],
                batch_size=2000,
            )

    def _progress(self, done, total, started):
        width = 30
        filled = int(width * done / total) if total else width
        self.stdout.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done:>10,}/{total:,} answers  "
            f"{time.perf_counter() - started:6.1f}s",
            ending="",
        )
        self.stdout.flush()
        if done >= total:
            self.stdout.write("")
