package minutes

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/automerge/automerge-go"
)

// Small typed accessors over Automerge maps. Missing or mistyped values read
// as zero values: a document edited by another tool never panics pwg.

func getVal(m *automerge.Map, key string) *automerge.Value {
	if m == nil {
		return nil
	}
	v, err := m.Get(key)
	if err != nil || v == nil || v.IsVoid() {
		return nil
	}
	return v
}

func getStr(m *automerge.Map, key string) string {
	v := getVal(m, key)
	if v == nil {
		return ""
	}
	switch v.Kind() {
	case automerge.KindStr:
		return v.Str()
	case automerge.KindText:
		s, _ := v.Text().Get()
		return s
	}
	return ""
}

func getInt(m *automerge.Map, key string) int64 {
	v := getVal(m, key)
	if v == nil {
		return 0
	}
	switch v.Kind() {
	case automerge.KindInt64:
		return v.Int64()
	case automerge.KindUint64:
		return int64(v.Uint64())
	case automerge.KindFloat64:
		return int64(v.Float64())
	case automerge.KindCounter:
		n, _ := v.Counter().Get()
		return n
	}
	return 0
}

func getFloat(m *automerge.Map, key string) float64 {
	v := getVal(m, key)
	if v == nil {
		return 0
	}
	switch v.Kind() {
	case automerge.KindFloat64:
		return v.Float64()
	case automerge.KindInt64:
		return float64(v.Int64())
	case automerge.KindUint64:
		return float64(v.Uint64())
	}
	return 0
}

func getBool(m *automerge.Map, key string) bool {
	v := getVal(m, key)
	return v != nil && v.Kind() == automerge.KindBool && v.Bool()
}

func getTime(m *automerge.Map, key string) time.Time {
	v := getVal(m, key)
	if v == nil || v.Kind() != automerge.KindTime {
		return time.Time{}
	}
	return v.Time()
}

func getMap(m *automerge.Map, key string) *automerge.Map {
	v := getVal(m, key)
	if v == nil || v.Kind() != automerge.KindMap {
		return nil
	}
	return v.Map()
}

// ensureMap returns m[key] as a map, creating it when absent.
func ensureMap(m *automerge.Map, key string) (*automerge.Map, error) {
	if c := getMap(m, key); c != nil {
		return c, nil
	}
	if err := m.Set(key, automerge.NewMap()); err != nil {
		return nil, err
	}
	return getMap(m, key), nil
}

func jsonName(f reflect.StructField) string {
	tag := f.Tag.Get("json")
	name, _, _ := strings.Cut(tag, ",")
	if name == "-" {
		return ""
	}
	if name == "" {
		return f.Name
	}
	return name
}

// putFields writes the fields of the struct v (by json names) into m, each
// as its own key, and only those that differ: two people changing different
// fields of one item both keep their change.
func putFields(m *automerge.Map, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	rt := rv.Type()
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		name := jsonName(f)
		if name == "" || !f.IsExported() {
			continue
		}
		fv := rv.Field(i)
		var val any
		switch fv.Kind() {
		case reflect.String:
			if getStr(m, name) == fv.String() && getVal(m, name) != nil {
				continue
			}
			val = fv.String()
		case reflect.Bool:
			if getVal(m, name) != nil && getBool(m, name) == fv.Bool() {
				continue
			}
			val = fv.Bool()
		case reflect.Int, reflect.Int64, reflect.Int32:
			if getVal(m, name) != nil && getInt(m, name) == fv.Int() {
				continue
			}
			val = fv.Int()
		case reflect.Float64:
			if getVal(m, name) != nil && getFloat(m, name) == fv.Float() {
				continue
			}
			val = fv.Float()
		case reflect.Struct:
			t, ok := fv.Interface().(time.Time)
			if !ok {
				return fmt.Errorf("putFields: unsupported field %s", f.Name)
			}
			if getTime(m, name).Equal(t) && getVal(m, name) != nil {
				continue
			}
			val = t
		default:
			return fmt.Errorf("putFields: unsupported field %s", f.Name)
		}
		if err := m.Set(name, val); err != nil {
			return fmt.Errorf("set %s: %w", name, err)
		}
	}
	return nil
}

// readFields fills the struct pointed to by out from m, by json names.
func readFields(m *automerge.Map, out any) {
	rv := reflect.ValueOf(out).Elem()
	rt := rv.Type()
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		name := jsonName(f)
		if name == "" || !f.IsExported() {
			continue
		}
		fv := rv.Field(i)
		switch fv.Kind() {
		case reflect.String:
			fv.SetString(getStr(m, name))
		case reflect.Bool:
			fv.SetBool(getBool(m, name))
		case reflect.Int, reflect.Int64, reflect.Int32:
			fv.SetInt(getInt(m, name))
		case reflect.Float64:
			fv.SetFloat(getFloat(m, name))
		case reflect.Struct:
			if _, ok := fv.Interface().(time.Time); ok {
				fv.Set(reflect.ValueOf(getTime(m, name)))
			}
		}
	}
}
