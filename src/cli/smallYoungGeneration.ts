// Imported first by the CLI, so it runs before anything else allocates: V8's young generation
// stays at its starting size (1 MiB semi-spaces) instead of doubling up to 16 MiB.
//
// Why: an export receives ~700,000 small HTTP chunks per GiB (MLflow sends files line by line),
// each in a socket buffer of its own, and gets zlib's output in 64 KiB buffers. These die young,
// but their native memory is freed only when a scavenge finds them dead, and with large semi-spaces
// a scavenge came only every several MiB of JavaScript allocation, by which time 60–80 MiB of dead
// buffers had piled up in glibc's heap, and the heap kept the high-water mark (measured with
// mallinfo2: 15–80 MiB in use swinging, 100 MiB held). Small semi-spaces scavenge that garbage
// within about a MiB: the 1 GiB export's peak RSS went from ~185–220 MiB to ~130 MiB, same speed.
//
// It must be set by the process itself (a user runs `mlwf-export`, not `node --flags …`), and
// before the new space first grows, hence here and not in main(). The growth factor is read each
// time V8 considers growing the new space, so changing it at run time is effective (the
// --max-semi-space-size flag, by contrast, is read only when the heap is set up). The extension
// host is VS Code's shared process and its flags are left alone.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--semi-space-growth-factor=1');
