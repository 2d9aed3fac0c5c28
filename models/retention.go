package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// PruneReadNotifications deletes the notifications read before a time, with their finished
// e-mails (sent, failed, uncertain or skipped); one whose e-mail still waits is kept. It returns
// how many it deleted.
func (db *DB) PruneReadNotifications(ctx context.Context, readBefore time.Time) (int64, error) {
	var n int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		old := tx.Session(&gorm.Session{NewDB: true}).Table("notifications").Select("id").Where("read_at IS NOT NULL AND read_at < ?", readBefore.UTC())
		if err := tx.Exec("DELETE FROM mail_outbox WHERE status NOT IN ('pending', 'sending') AND notification_id IN (?)", old).Error; err != nil {
			return err
		}
		res := tx.Exec("DELETE FROM notifications WHERE read_at IS NOT NULL AND read_at < ? AND id NOT IN (SELECT notification_id FROM mail_outbox)", readBefore.UTC())
		n = res.RowsAffected
		return res.Error
	})
	return n, err
}
