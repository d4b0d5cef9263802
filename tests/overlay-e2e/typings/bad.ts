// Must NOT type-check: each line below is an error tests/tests/typings.rs expects.
import { KickConnection } from "../../../wasm/pkg/kickwire.js";

const kick = new KickConnection("xqc", {});
kick.on("ChatMessage", (m) => console.log(m.no_such_field)); // TS2339
kick.on("GiftedSubscriptions", (g) => { const s: string = g.gifted_count; console.log(s); }); // TS2322
kick.on("NoSuchEvent", () => {}); // TS2345
