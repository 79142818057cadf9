from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = "Interview practice"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from interviews.review import remember_prefs_on_login

        # A session cache, not a business rule: pages read review settings without a query.
        user_logged_in.connect(remember_prefs_on_login, dispatch_uid="remember-review-prefs")
