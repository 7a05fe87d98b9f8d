//go:build cgo

package gl

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gpubench/gpubench/compute"
)

// DeviceInfo describes one EGL device, as `gpubench list --devices`
// shows it; Index is what compute.Options.Device (--device) takes.
type DeviceInfo struct {
	Index int `json:"index"`
	// Vendor and Renderer are the OpenGL strings of a context made on the
	// device (or the EGL device's own names where it has
	// EGL_EXT_device_query_name and no context could be made).
	Vendor    string `json:"vendor,omitempty"`
	Renderer  string `json:"renderer,omitempty"`
	GLVersion string `json:"gl_version,omitempty"`
	// DRMNode and RenderNode are the device's files under /dev/dri.
	DRMNode    string `json:"drm_node,omitempty"`
	RenderNode string `json:"render_node,omitempty"`
	// CUDA marks an NVIDIA device (EGL_NV_device_cuda); Hardware any GPU
	// (CUDA or DRM); Software Mesa's software device (llvmpipe).
	CUDA       bool     `json:"cuda"`
	Hardware   bool     `json:"hardware"`
	Software   bool     `json:"software"`
	Extensions []string `json:"extensions,omitempty"`
	// Error says why no OpenGL 4.3 context could be made on the device.
	Error string `json:"error,omitempty"`
}

func (d DeviceInfo) String() string {
	name := d.Renderer
	if name == "" {
		name = "EGL device"
	}
	return fmt.Sprintf("device %d: %s (%s)", d.Index, name, d.detail())
}

// detail says what kind of device d is and which files it has.
func (d DeviceInfo) detail() string {
	var what []string
	switch {
	case d.CUDA:
		what = append(what, "CUDA")
	case d.Hardware:
		what = append(what, "GPU")
	case d.Software:
		what = append(what, "software")
	}
	if d.DRMNode != "" {
		what = append(what, d.DRMNode)
	}
	if d.RenderNode != "" {
		what = append(what, d.RenderNode)
	}
	return strings.Join(what, ", ")
}

// entry is d as the registry lists it: the driver is the kernel's for a
// device with a file under /dev/dri (amdgpu, i915, nvidia-drm), else
// the vendor of its OpenGL (Mesa for llvmpipe).
func (d DeviceInfo) entry() compute.DeviceEntry {
	e := compute.DeviceEntry{Index: d.Index, Name: d.Renderer, Driver: d.Vendor, Detail: d.detail(), Error: d.Error}
	if e.Name == "" {
		e.Name = "EGL device"
	}
	for _, node := range []string{d.RenderNode, d.DRMNode} {
		if node == "" {
			continue
		}
		if drv := drmDriver(node); drv != "" {
			e.Driver = drv
			break
		}
	}
	return e
}

// drmDriver is the kernel driver of a DRM device file, read from sysfs
// (/sys/class/drm/renderD128/device/driver links to the driver); empty
// where sysfs does not say.
func drmDriver(node string) string {
	link, err := os.Readlink(filepath.Join("/sys/class/drm", filepath.Base(node), "device", "driver"))
	if err != nil {
		return ""
	}
	return filepath.Base(link)
}

// deviceEntries is Devices as the registry lists them.
func deviceEntries() ([]compute.DeviceEntry, error) {
	ds, err := Devices()
	if err != nil {
		return nil, err
	}
	out := make([]compute.DeviceEntry, len(ds))
	for i, d := range ds {
		out[i] = d.entry()
	}
	return out, nil
}

// Devices lists the EGL devices and, for each, the renderer of an OpenGL
// context made on it (or why none could be made). An error means EGL
// cannot enumerate devices at all.
func Devices() ([]DeviceInfo, error) {
	devs, err := queryEGLDevices()
	if err != nil {
		return nil, fmt.Errorf("%w: gl: cannot list EGL devices: %w", compute.ErrUnavailable, err)
	}
	out := make([]DeviceInfo, len(devs))
	for i, d := range devs {
		info := d.info
		b, err := open(contextOptions{force: kindEGLDevice, device: i})
		if err != nil {
			info.Error = err.Error()
		} else {
			info.Vendor, info.Renderer, info.GLVersion = b.gpu.Vendor, b.gpu.Renderer, b.gpu.GLVersion
			b.Close()
		}
		out[i] = info
	}
	return out, nil
}
