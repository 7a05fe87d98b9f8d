//go:build cgo

package gl

import (
	"fmt"
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
	name := d.Renderer
	if name == "" {
		name = "EGL device"
	}
	return fmt.Sprintf("device %d: %s (%s)", d.Index, name, strings.Join(what, ", "))
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
