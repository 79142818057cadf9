"""Sign-up, the account page and account deletion; Django's auth views do the rest."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from interviews.accounts import erase_account, reset_tokens
from interviews.forms import DeleteAccountForm, ProfileForm, QueuedPasswordResetForm, SignupForm
from interviews.limits import posted_email, rate_limited
from interviews.models import Profile
from interviews.review import plan_for_interview, prefs_for, remember_prefs
from interviews.tasks import tell_owners_of_address

password_reset = rate_limited("password_reset")(
    rate_limited("password_reset_address", key=posted_email)(
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm)
    )
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(token_generator=reset_tokens)


@require_http_methods(["GET", "POST"])
@rate_limited("signup")
def signup(request):
    if request.user.is_authenticated:
        return redirect("interviews:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            Profile.objects.create(user=user, time_zone=form.cleaned_data["time_zone"])
            tell_owners_of_address.enqueue(user_id=user.pk, domain=request.get_host(), use_https=request.is_secure())
        login(request, user, backend="interviews.auth.LearnerBackend")
        messages.success(request, f"Welcome, {user.username}! Your account is ready.")
        return redirect("interviews:home")
    return render(request, "registration/signup.html", {"form": form}, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def account(request):
    profile = Profile.objects.filter(user=request.user).first() or Profile(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            remember_prefs(request, request.user, form.save())
            if {"interview_date", "time_zone"} & set(form.changed_data):
                plan_for_interview(request.user, now=timezone.now(), prefs=prefs_for(request))
            messages.success(request, "Settings saved. They apply from your next review.")
            return redirect("interviews:account")
        return _account_page(request, form, DeleteAccountForm(request.user), status=422)
    return _account_page(request, form, DeleteAccountForm(request.user))


def _account_page(request, settings_form, delete_form, status=200):
    context = {"settings_form": settings_form, "delete_form": delete_form}
    return render(request, "registration/account.html", context, status=status)


@require_POST
@login_required
def delete_account(request):
    form = DeleteAccountForm(request.user, request.POST)
    if not form.is_valid():
        profile = Profile.objects.filter(user=request.user).first() or Profile(user=request.user)
        return _account_page(request, ProfileForm(instance=profile), form, status=422)
    user = request.user
    logout(request)
    erase_account(user)
    messages.success(request, "Your account and everything in it have been deleted.")
    return redirect("interviews:home")


def locked_out(request, original_response=None, credentials=None):
    """Axes' answer to a log-in from a locked-out username and address: the wait in words, and
    for a script a JSON answer that grants no other site access (axes' own sends `*`)."""
    wait = _in_words(settings.AXES_COOLOFF_TIME)
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return JsonResponse({"detail": f"Too many failed log-in attempts. Try again in {wait}."}, status=429)
    return render(request, "registration/locked_out.html", {"wait": wait}, status=429)


def _in_words(duration) -> str:
    minutes = max(1, round(duration.total_seconds() / 60))
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
