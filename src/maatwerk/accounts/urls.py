from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import twofactor

app_name = "accounts"

urlpatterns = [
    path("tweestaps/", twofactor.verify, name="otp_verify"),
    path("tweestaps/instellen/", twofactor.setup, name="otp_setup"),
    path("wachtwoord-vergeten/", auth_views.PasswordResetView.as_view(
        template_name="registration/password_reset.html",
        email_template_name="registration/password_reset_email.txt",
        subject_template_name="registration/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
    ), name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", auth_views.PasswordResetDoneView.as_view(
        template_name="registration/password_reset_done_nl.html"), name="password_reset_done"),
    path("wachtwoord-instellen/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="registration/password_reset_confirm_nl.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    ), name="password_reset_confirm"),
    path("wachtwoord-ingesteld/", auth_views.PasswordResetCompleteView.as_view(
        template_name="registration/password_reset_complete_nl.html"), name="password_reset_complete"),
    path("wachtwoord-wijzigen/", auth_views.PasswordChangeView.as_view(
        template_name="registration/password_change_nl.html",
        success_url=reverse_lazy("accounts:password_change_done"),
    ), name="password_change"),
    path("wachtwoord-gewijzigd/", auth_views.PasswordChangeDoneView.as_view(
        template_name="registration/password_change_done_nl.html"), name="password_change_done"),
]
