#version 430 core
// empty: does nothing; its dispatch measures the cost of starting a kernel.
layout(local_size_x = 1) in;

void main() {
}
