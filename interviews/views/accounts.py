"""Sign-up, the account page and account deletion; Django's auth views do the rest."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from interviews.forms import DeleteAccountForm, SignupForm


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("interviews:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}! Your account is ready.")
        return redirect("interviews:home")
    return render(request, "registration/signup.html", {"form": form}, status=422 if form.errors else 200)


@require_http_methods(["GET"])
@login_required
def account(request):
    return render(request, "registration/account.html", {"delete_form": DeleteAccountForm(request.user)})


@require_POST
@login_required
def delete_account(request):
    form = DeleteAccountForm(request.user, request.POST)
    if not form.is_valid():
        return render(request, "registration/account.html", {"delete_form": form}, status=422)
    with transaction.atomic():
        user = request.user
        logout(request)
        user.delete()
    messages.success(request, "Your account and everything in it have been deleted.")
    return redirect("interviews:home")
