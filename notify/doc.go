// Package notify tells people what happened in Pantau outside the request that did it: the
// words of notifications in Indonesian and English (titles.go), e-mails rendered from them
// (mail.go; a weekly digest's lists in digest.go), the outbox sender that delivers them through
// SMTP after their transaction committed, paced (outbox.go, smtp.go), and the signed
// unsubscribe links (tokens.go). Deadline reminders and weekly digests are written by the job
// queue (package jobs) and leave through the same outbox.
//
// # Another channel (a WhatsApp gateway, say)
//
// No provider is built in; the seam is the outbox. A second channel would be:
//
//   - its rows: a channel column on mail_outbox (or a table of its own with the same columns),
//     written by models' queueMail beside the e-mail row, in the event's transaction, under a
//     preference of its own (a phone number and an opt-in per category on user_preferences);
//   - its words: Title and the Renderer's texts, in the user's language, shortened to what the
//     gateway accepts (a template name and its parameters, for WhatsApp's approved templates);
//   - its sender: a loop like Outbox.Flush over its due rows — models.DB.DueMail, ClaimMail,
//     MailSent, MailFailed, MarkInterruptedMail — calling the gateway instead of SMTP, with the
//     row's Message-ID as the gateway's idempotency key where it takes one, and its own pace.
//
// It then inherits the retries and back-off, the no-duplicate rule across instances, the
// deduplicated reminders and digests (one per user and key, whatever the channel), the
// preference check at sending time, and the rate limit.
package notify
