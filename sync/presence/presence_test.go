package presence

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	p := Presence{Name: "藤田", Role: "facilitator", MeetingID: "m", Section: "alerts", FacilitatorSection: "alerts"}
	got, err := Decode(Encode(p))
	if err != nil || !reflect.DeepEqual(got, p) {
		t.Fatalf("%+v %v", got, err)
	}
	q := Presence{Connected: []string{"AAAA", "BBBB"}}
	if got, err := Decode(Encode(q)); err != nil || !reflect.DeepEqual(got, q) || !got.IsZero() {
		t.Fatalf("connections only: %+v %v", got, err)
	}
	if s, ok := Facilitator("m", []Presence{{Name: "x", MeetingID: "m"}, got}); !ok || s != "alerts" {
		t.Fatalf("facilitator: %q %v", s, ok)
	}
	if _, ok := Facilitator("other", []Presence{got}); ok {
		t.Fatal("facilitator of another meeting")
	}
}

func TestDecodeRejects(t *testing.T) {
	long := Encode(Presence{Name: strings.Repeat("x", MaxField+1)})
	for _, b := range [][]byte{{0xff}, {0x81, 0x01}, long, Encode(Presence{Name: "\xff"})} {
		if _, err := Decode(b); !errors.Is(err, ErrBadPresence) {
			t.Errorf("%x: got %v", b, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(Encode(Presence{Name: "a", Section: "b"}))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Decode(b)
		if err != nil {
			return
		}
		if q, err := Decode(Encode(p)); err != nil || !reflect.DeepEqual(q, p) {
			t.Fatal("round trip")
		}
	})
}
