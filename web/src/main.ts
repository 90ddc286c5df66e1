import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import { takeCodeFromUrl } from "./lib/signInCode";

// Before anything renders: a sign-in code in the URL's fragment goes into memory.
takeCodeFromUrl(window.location, window.history);

const target = document.getElementById("app");
if (!target) throw new Error("The page has no #app element.");
mount(App, { target });
