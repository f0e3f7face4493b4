"""The embedded sandbox: a local imitation of the Mailchimp Marketing API (and MailerSend)."""
