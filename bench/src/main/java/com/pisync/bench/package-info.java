/** PiSync's benchmarks: each one prints its figures and writes them under bench/target/ for docs/performance.md. */
package com.pisync.bench;
