package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
)

// A results file holds no NaN or ±Inf where a figure should be a
// number: encoding/json refuses them, and a run that measured for an
// hour must not lose its file to one derived figure gone wrong (a
// bandwidth read back as 1e-320 makes a PEAK of +Inf). Fields that may
// be non-finite by design are jsonFloat and carry the strings "NaN",
// "+Inf", "-Inf" (an error bound past float32's reach); they are tagged
// nonfinite:"ok". Every other non-finite figure is written as null, read
// back as 0 (unknown), and the report's notes name it (encodeFinite).

// nonFiniteMark stands in a copy of a report for a non-finite figure
// until the encoding turns it into null: a finite float64 that no
// figure of a run takes (the most negative float64).
const nonFiniteMark = -math.MaxFloat64

// marshalFinite encodes r as its file lays it out (r.marshalFile); where
// a figure outside the nonfinite:"ok" fields is NaN or ±Inf, it encodes
// a copy of r instead in which each such figure is null, and a note
// names them.
func marshalFinite(r Report) ([]byte, error) {
	return encodeFinite(r, Report.marshalFile, func(c *Report, note string) {
		c.Notes = append(c.Notes[:len(c.Notes):len(c.Notes)], note)
	})
}

// encodeFinite encodes v with encode; where that fails on a value JSON
// cannot hold (NaN, ±Inf), it encodes a copy of v whose non-finite
// figures are null (finiteCopy, nullMarks), after addNote has added to
// the copy a note that names them.
func encodeFinite[T any](v T, encode func(T) ([]byte, error), addNote func(*T, string)) ([]byte, error) {
	b, err := encode(v)
	var unsupported *json.UnsupportedValueError
	if !errors.As(err, &unsupported) {
		return b, err
	}
	var bad []string
	clean := finiteCopy(reflect.ValueOf(v), "", &bad).Interface().(T)
	addNote(&clean, "not numbers, written as null (unknown): "+joinLimited(bad, 10))
	if b, err = encode(clean); err != nil {
		return nil, err
	}
	return nullMarks(b)
}

// joinLimited joins the first n of s with ", ", and counts the rest.
func joinLimited(s []string, n int) string {
	var buf bytes.Buffer
	for i, v := range s {
		if i == n {
			fmt.Fprintf(&buf, " and %d more", len(s)-n)
			break
		}
		if i > 0 {
			buf.WriteString(", ")
		}
		buf.WriteString(v)
	}
	return buf.String()
}

// finiteCopy is a deep copy of v in which each float that is NaN or
// ±Inf, outside fields tagged nonfinite:"ok", is nonFiniteMark; bad
// gets the path of each (as JSON names it: "probe.peak.gflops_f32",
// "results[3].peak_pct") with its value. Unexported fields are copied as
// they are (JSON does not hold them).
func finiteCopy(v reflect.Value, path string, bad *[]string) reflect.Value {
	t := v.Type()
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			*bad = append(*bad, fmt.Sprintf("%s (%v)", path, f))
			n := reflect.New(t).Elem()
			n.SetFloat(nonFiniteMark)
			return n
		}
		return v
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		n := reflect.New(t.Elem())
		n.Elem().Set(finiteCopy(v.Elem(), path, bad))
		return n
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		n := reflect.New(t).Elem()
		n.Set(finiteCopy(v.Elem(), path, bad))
		return n
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			n.Index(i).Set(finiteCopy(v.Index(i), path+"["+strconv.Itoa(i)+"]", bad))
		}
		return n
	case reflect.Array:
		n := reflect.New(t).Elem()
		for i := range v.Len() {
			n.Index(i).Set(finiteCopy(v.Index(i), path+"["+strconv.Itoa(i)+"]", bad))
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeMapWithSize(t, v.Len())
		for it := v.MapRange(); it.Next(); {
			n.SetMapIndex(it.Key(), finiteCopy(it.Value(), fmt.Sprintf("%s[%v]", path, it.Key()), bad))
		}
		return n
	case reflect.Struct:
		n := reflect.New(t).Elem()
		n.Set(v)
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || f.Tag.Get("nonfinite") == "ok" {
				continue
			}
			n.Field(i).Set(finiteCopy(v.Field(i), joinPath(path, f), bad))
		}
		return n
	}
	return v
}

// joinPath is the path of field f below path, by its JSON name.
func joinPath(path string, f reflect.StructField) string {
	name, _, _ := bytes.Cut([]byte(f.Tag.Get("json")), []byte(","))
	if len(name) == 0 {
		name = []byte(f.Name)
	}
	if path == "" {
		return string(name)
	}
	return path + "." + string(name)
}

// nullMarks rewrites the JSON document b with each number that is
// nonFiniteMark as null, token by token, so that a string that happens
// to hold the mark's digits is left as it is.
func nullMarks(b []byte) ([]byte, error) {
	mark := strconv.FormatFloat(nonFiniteMark, 'g', -1, 64)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out bytes.Buffer
	out.Grow(len(b))
	// Each open object or array, with the count of its tokens so far (an
	// object's keys and values alternate).
	type level struct {
		object bool
		n      int
	}
	var stack []level
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out.Bytes(), nil
		}
		if err != nil {
			return nil, err
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			out.WriteByte(byte(d))
			continue
		}
		if len(stack) > 0 {
			top := &stack[len(stack)-1]
			switch {
			case top.object && top.n%2 == 1:
				out.WriteByte(':')
			case top.n > 0:
				out.WriteByte(',')
			}
			top.n++
		}
		switch v := tok.(type) {
		case json.Delim:
			out.WriteByte(byte(v))
			stack = append(stack, level{object: v == '{'})
		case json.Number:
			if string(v) == mark {
				out.WriteString("null")
			} else {
				out.WriteString(string(v))
			}
		default:
			enc, err := json.Marshal(v)
			if err != nil {
				return nil, err
			}
			out.Write(enc)
		}
	}
}
