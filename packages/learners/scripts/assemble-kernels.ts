import wabtInit from "wabt";
import { kernelsWat } from "../src/wasm/kernels-wat.js";

/** Assemble the kernels' WebAssembly text into a binary with wabt (dev-time only). */
export async function assembleKernels(): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat("kernels.wat", kernelsWat(), { bulk_memory: true });
  try {
    mod.validate();
    return mod.toBinary({ log: false }).buffer;
  } finally {
    mod.destroy();
  }
}
