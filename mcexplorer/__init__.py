"""mcexplorer: a terminal explorer for the Mailchimp Marketing API and MailerSend."""

__version__ = "0.1.0"
