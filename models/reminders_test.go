package models

import "testing"

// TestReminderDue: the reminder due with some days left is the configured day that came last
// (the smallest at or above it): a server down on that day sends it late, once, and never an
// earlier one; none before the first day or after the deadline.
func TestReminderDue(t *testing.T) {
	days := []int{14, 7, 3, 1}
	for left, want := range map[int]int{20: 0, 15: 0, 14: 14, 10: 14, 7: 7, 5: 7, 4: 7, 3: 3, 2: 3, 1: 1, 0: 1, -1: 0} {
		if got := reminderDue(days, left); got != want {
			t.Errorf("%d days left: reminder %d, want %d", left, got, want)
		}
	}
	if got := reminderDue([]int{1, 7}, 5); got != 7 {
		t.Errorf("unsorted days: %d, want 7", got)
	}
	if got := reminderDue(nil, 3); got != 0 {
		t.Errorf("no days: %d, want 0", got)
	}
}
