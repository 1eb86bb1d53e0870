// The process owner's BPMN modeler: bpmn-js plus a small Danish properties panel for what Sagsflow
// reads from a diagram (names, lanes, spiffworkflow form/due/frist properties, timers, conditions).
// Deploying posts the XML; problems come back with element ids, which are marked on the canvas.
(function () {
  const canvasEl = document.getElementById("canvas");
  const spiffworkflow = {
    name: "SpiffWorkflow",
    uri: "http://spiffworkflow.org/bpmn/schema/1.0/core",
    prefix: "spiffworkflow",
    xml: { tagAlias: "lowerCase" },
    types: [
      { name: "Properties", superClass: ["Element"], properties: [{ name: "properties", type: "Property", isMany: true }] },
      { name: "Property", superClass: ["Element"], properties: [
        { name: "name", isAttr: true, type: "String" }, { name: "value", isAttr: true, type: "String" }] },
    ],
  };
  const modeler = new BpmnJS({
    container: canvasEl,
    moddleExtensions: { spiffworkflow },
    additionalModules: [window.SagsflowDansk],
  });
  window.sagsflowModeler = modeler;
  const modeling = modeler.get("modeling");
  const moddle = modeler.get("moddle");
  const canvas = modeler.get("canvas");
  const registry = modeler.get("elementRegistry");
  const form = document.getElementById("egenskaber");
  const result = document.getElementById("resultat");
  let selected = null;
  let marked = [];
  let dirty = false; // unsaved edits: warn before leaving the page

  modeler.on("commandStack.changed", () => { dirty = true; });
  window.addEventListener("beforeunload", (event) => {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });

  // Fit the diagram beside the tool palette, not under it (the start event and first tasks stay clickable).
  function fitBesidePalette() {
    canvas.zoom("fit-viewport");
    const palette = canvasEl.querySelector(".djs-palette");
    if (!palette) return;
    const gap = palette.getBoundingClientRect().right - canvasEl.getBoundingClientRect().left + 12;
    const box = canvas.viewbox();
    const width = canvasEl.clientWidth;
    if (gap <= 0 || gap >= width) return;
    const scale = box.scale * (width - gap) / width;
    canvas.zoom(scale);
    const inner = canvas.viewbox().inner;
    canvas.viewbox({ x: inner.x - gap / scale, y: inner.y - 20 / scale, width: width / scale, height: canvasEl.clientHeight / scale });
  }

  async function load(xml) {
    await modeler.importXML(xml);
    dirty = false;
    fitBesidePalette();
    canvasEl.dataset.ready = "true";
  }

  fetch(canvasEl.dataset.xmlSrc, { credentials: "same-origin" }).then((r) => r.text()).then(load);

  // --- properties panel ---------------------------------------------------------------
  const kindOf = (bo) => {
    if (!bo) return null;
    if (bo.$type === "bpmn:UserTask") return "userTask";
    if (bo.$type === "bpmn:SequenceFlow") return "flow";
    if ((bo.eventDefinitions || []).some((d) => d.$type === "bpmn:TimerEventDefinition")) return "timer";
    return "other";
  };
  const extProps = (bo, create) => {
    let ext = bo.extensionElements;
    if (!ext && create) { ext = moddle.create("bpmn:ExtensionElements", { values: [] }); bo.extensionElements = ext; }
    if (!ext) return null;
    let props = (ext.values || []).find((v) => v.$type === "spiffworkflow:Properties");
    if (!props && create) { props = moddle.create("spiffworkflow:Properties", { properties: [] }); ext.values.push(props); }
    return props;
  };
  const getExt = (bo, name) => {
    const props = extProps(bo, false);
    const p = props && (props.properties || []).find((x) => x.name === name);
    return p ? p.value : "";
  };
  const setExt = (element, name, value) => {
    const bo = element.businessObject;
    const props = extProps(bo, true);
    props.properties = (props.properties || []).filter((x) => x.name !== name);
    if (value) props.properties.push(moddle.create("spiffworkflow:Property", { name, value }));
    modeling.updateProperties(element, { extensionElements: bo.extensionElements });
  };
  const timerOf = (bo) => (bo.eventDefinitions || []).find((d) => d.$type === "bpmn:TimerEventDefinition");

  function show(element) {
    selected = element;
    const bo = element && element.businessObject;
    form.hidden = !bo || element.type === "label";
    document.getElementById("ingen-valgt").hidden = !form.hidden;
    if (form.hidden) return;
    const kind = kindOf(bo);
    document.getElementById("element-type").textContent = `${bo.$type.replace("bpmn:", "")} (${bo.id})`;
    form.querySelectorAll("[data-for]").forEach((f) => { f.hidden = f.dataset.for !== kind; });
    document.getElementById("p-name").value = bo.name || "";
    form.querySelectorAll("[data-ext]").forEach((i) => { i.value = getExt(bo, i.dataset.ext); });
    const timer = timerOf(bo);
    document.getElementById("p-timer").value = timer && timer.timeDate ? timer.timeDate.body : "";
    document.getElementById("p-condition").value = bo.conditionExpression ? bo.conditionExpression.body : "";
  }

  modeler.on("selection.changed", (e) => show(e.newSelection[0] || null));
  modeler.on("element.changed", (e) => { if (selected && e.element === selected) show(selected); });

  form.addEventListener("change", (event) => {
    const input = event.target;
    if (!selected) return;
    if (input.dataset.prop === "name") modeling.updateLabel(selected, input.value);
    else if (input.dataset.ext) setExt(selected, input.dataset.ext, input.value.trim());
    else if (input.dataset.timer) {
      const timer = timerOf(selected.businessObject);
      timer.timeDate = moddle.create("bpmn:FormalExpression", { body: input.value.trim() });
      modeling.updateProperties(selected, {});
    } else if (input.dataset.condition) {
      const body = input.value.trim();
      modeling.updateProperties(selected, {
        conditionExpression: body ? moddle.create("bpmn:FormalExpression", { body }) : undefined,
      });
    }
  });
  form.addEventListener("submit", (e) => e.preventDefault());

  // --- deploy, download, upload -------------------------------------------------------
  function clearMarks() {
    marked.forEach((id) => registry.get(id) && canvas.removeMarker(id, "sf-error"));
    marked = [];
    document.getElementById("fejl").hidden = true;
  }

  function showProblems(message, problems) {
    const list = document.getElementById("fejlliste");
    list.replaceChildren();
    problems.forEach((p) => {
      const li = document.createElement("li");
      li.textContent = p.element_id ? `${p.element_id}: ${p.message}` : p.message;
      if (p.element_id) li.dataset.element = p.element_id;
      list.appendChild(li);
      if (p.element_id && registry.get(p.element_id)) { canvas.addMarker(p.element_id, "sf-error"); marked.push(p.element_id); }
    });
    document.getElementById("fejl").hidden = false;
    result.className = "flash flash-error";
    result.textContent = message;
  }

  async function post(url, busy) {
    clearMarks();
    result.className = "";
    result.textContent = busy;
    const { xml } = await modeler.saveXML({ format: true });
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": document.querySelector('meta[name="csrf-token"]').content },
      body: JSON.stringify({ bpmn: xml }),
    });
    return [response, await response.json().catch(() => ({}))];
  }

  const problemsOf = (body) => body.problems || (body.errors ? Object.entries(body.errors).map(([k, v]) => ({ element_id: null, message: `${k}: ${v}` })) : []);

  document.getElementById("valider").addEventListener("click", async () => {
    const [response, body] = await post(canvasEl.dataset.validateUrl, "Validerer …");
    if (response.ok) {
      result.className = "flash flash-success";
      result.textContent = `Diagrammet er gyldigt (${body.user_tasks} brugeropgaver). Intet er udrullet endnu.`;
    } else {
      showProblems(body.message || "Diagrammet er ikke gyldigt", problemsOf(body));
    }
  });

  document.getElementById("udrul").addEventListener("click", async () => {
    const [response, body] = await post(canvasEl.dataset.deployUrl, "Udruller …");
    if (response.ok) {
      dirty = false;
      const opened = document.getElementById("aabnet-version");
      if (opened) opened.textContent = `– version ${body.version} er den nyeste`;
      result.className = "flash flash-success";
      result.textContent = body.created
        ? `Version ${body.version} er udrullet. Nye sager bruger den; kørende sager fortsætter på deres version.`
        : `Intet ændret: diagrammet er identisk med version ${body.version}.`;
    } else {
      showProblems(body.message || "Diagrammet blev afvist", problemsOf(body));
    }
  });

  document.getElementById("hent-xml").addEventListener("click", async () => {
    const { xml } = await modeler.saveXML({ format: true });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([xml], { type: "application/xml" }));
    link.download = `${canvasEl.dataset.processKey}.bpmn`;
    link.click();
  });

  document.getElementById("upload").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    clearMarks();
    try {
      await load(await file.text());
      dirty = true;
      result.className = "flash flash-info";
      result.textContent = `${file.name} er indlæst. Tryk «Udrul ny version» for at validere og udrulle.`;
    } catch (err) {
      showProblems("Filen kunne ikke læses som BPMN", [{ element_id: null, message: String(err.message || err) }]);
    }
  });
})();
