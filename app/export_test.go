package app

// SetRevisitsHook makes f run in each computation of the revisits due,
// before it reads the meetings (the test holds one with it).
func SetRevisitsHook(u *UI, f func()) { u.review.revisits.before = f }
