// Show the case's process diagram with its open tasks (blue) and completed steps (green) marked.
(async function () {
  const host = document.getElementById("diagram");
  if (!host) return;
  const viewer = new BpmnJS({ container: host, additionalModules: [window.SagsflowDansk] });
  const response = await fetch(host.dataset.src, { credentials: "same-origin" });
  await viewer.importXML(await response.text());
  const canvas = viewer.get("canvas");
  const registry = viewer.get("elementRegistry");
  const mark = (ids, marker) =>
    ids.split(",").filter(Boolean).forEach((id) => registry.get(id) && canvas.addMarker(id, marker));
  mark(host.dataset.done, "sf-done");
  mark(host.dataset.active, "sf-active");
  // A page being left (or a hidden host) has no size: fitting to it would scale by a non-finite factor.
  if (host.clientWidth > 0 && host.clientHeight > 0) canvas.zoom("fit-viewport");
  host.dataset.ready = "true";
})();
