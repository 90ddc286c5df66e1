// zxcvbn with its common, English and Dutch dictionaries: about a megabyte of word lists, so
// this module is only ever imported dynamically (lib/passphrase.ts), and only /vcp asks for it.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";
import * as nl from "@zxcvbn-ts/language-nl-be";

// The Dutch package names its lists without a language suffix; give them one so a later
// package's list of the same name could never replace them silently.
const dutch = Object.fromEntries(Object.entries(nl.dictionary).map(([name, words]) => [`${name}-nl`, words]));

export const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary, ...dutch },
  graphs: common.adjacencyGraphs,
});
