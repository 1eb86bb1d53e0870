// The process owner's BPMN modeler: bpmn-js plus a small Danish properties panel for what Sagsflow
// reads from a diagram (names, lanes, spiffworkflow form/due/frist properties, timers, conditions).
// Deploying posts the XML; problems come back with element ids and names, which are listed by name
// and marked on the canvas (shapes and sequence flows).  Leaving with edits not deployed asks first.
// No inline scripts or handlers: everything is wired here (Content-Security-Policy).
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
  const selection = modeler.get("selection");
  const form = document.getElementById("egenskaber");
  const result = document.getElementById("resultat");
  const heading = document.getElementById("modeller-version");
  const unsavedNote = document.getElementById("aendringer");
  let selected = null;
  let marked = [];
  let dirty = false;

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

  // --- unsaved edits ------------------------------------------------------------------
  function setDirty(value) {
    dirty = value;
    unsavedNote.hidden = !value;
    canvasEl.dataset.dirty = String(value);
  }
  modeler.on("commandStack.changed", () => setDirty(true));
  window.addEventListener("beforeunload", (event) => {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "Du har ændringer i diagrammet, som ikke er udrullet.";
  });

  async function load(xml, { unsaved }) {
    await modeler.importXML(xml);
    fitBesidePalette();
    setDirty(unsaved);
    canvasEl.dataset.ready = "true";
  }

  fetch(canvasEl.dataset.xmlSrc, { credentials: "same-origin" })
    .then((r) => r.text())
    .then((xml) => load(xml, { unsaved: false }));

  // --- properties panel ---------------------------------------------------------------
  const NOT_NODES = ["bpmn:SequenceFlow", "bpmn:Lane", "bpmn:Participant", "bpmn:Process", "bpmn:Collaboration",
    "bpmn:TextAnnotation", "bpmn:Association", "bpmn:MessageFlow", "bpmn:Group", "bpmn:DataStoreReference",
    "bpmn:DataObjectReference", "bpmn:DataInputAssociation", "bpmn:DataOutputAssociation"];
  const kindOf = (bo) => {
    if (!bo) return null;
    if (bo.$type === "bpmn:UserTask") return "userTask";
    if (bo.$type === "bpmn:SequenceFlow") return "flow";
    if ((bo.eventDefinitions || []).some((d) => d.$type === "bpmn:TimerEventDefinition")) return "timer";
    if (!NOT_NODES.includes(bo.$type)) return "node";
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

  // Lanes: the lanes of the element's pool (or of the whole diagram when it has no pools).
  const poolOf = (element) => {
    let current = element.parent;
    while (current && current.type !== "bpmn:Participant") current = current.parent;
    return current || null;
  };
  const lanesFor = (element) => {
    const pool = poolOf(element);
    return registry.filter((e) => e.type === "bpmn:Lane" && (!pool || poolOf(e) === pool));
  };
  const laneOf = (element) =>
    lanesFor(element).find((lane) => (lane.businessObject.flowNodeRef || []).includes(element.businessObject)) || null;
  const laneName = (lane) => lane.businessObject.name || lane.id;

  function showLanes(element) {
    const select = document.getElementById("p-lane");
    select.replaceChildren();
    const lanes = lanesFor(element);
    const current = laneOf(element);
    const none = document.createElement("option");
    none.value = "";
    none.textContent = lanes.length ? "(ingen bane)" : "(diagrammet har ingen baner)";
    select.appendChild(none);
    lanes.forEach((lane) => {
      const option = document.createElement("option");
      option.value = lane.id;
      option.textContent = laneName(lane);
      option.selected = current === lane;
      select.appendChild(option);
    });
    select.disabled = !lanes.length;
  }

  // Put an element in a lane: its flowNodeRef moves (what Sagsflow reads), and a node drawn directly in
  // the pool is moved into the lane's band so the picture says the same.
  function moveToLane(element, laneId) {
    const target = laneId ? registry.get(laneId) : null;
    const bo = element.businessObject;
    lanesFor(element).forEach((lane) => {
      const refs = lane.businessObject.flowNodeRef || [];
      const wanted = lane === target ? [...refs.filter((r) => r !== bo), bo] : refs.filter((r) => r !== bo);
      if (wanted.length !== refs.length || lane === target) {
        modeling.updateModdleProperties(lane, lane.businessObject, { flowNodeRef: wanted });
      }
    });
    const topLevel = element.parent && ["bpmn:Participant", "bpmn:Process"].includes(element.parent.type);
    if (target && topLevel && element.waypoints === undefined) {
      const middle = element.y + element.height / 2;
      if (middle < target.y || middle > target.y + target.height) {
        const dy = target.y + target.height / 2 - middle;
        modeling.moveShape(element, { x: 0, y: dy });
        const after = lanesFor(element).find((l) => (l.businessObject.flowNodeRef || []).includes(bo));
        if (after !== target) moveToLane(element, laneId);
      }
    }
  }

  function show(element) {
    selected = element;
    const bo = element && element.businessObject;
    form.hidden = !bo || element.type === "label";
    document.getElementById("ingen-valgt").hidden = !form.hidden;
    if (form.hidden) return;
    const kind = kindOf(bo);
    document.getElementById("element-type").textContent = `${bo.$type.replace("bpmn:", "")} (${bo.id})`;
    form.querySelectorAll("[data-for]").forEach((f) => { f.hidden = !f.dataset.for.split(" ").includes(kind); });
    document.getElementById("p-name").value = bo.name || "";
    form.querySelectorAll("[data-ext]").forEach((i) => { i.value = getExt(bo, i.dataset.ext); });
    const timer = timerOf(bo);
    document.getElementById("p-timer").value = timer && timer.timeDate ? timer.timeDate.body : "";
    document.getElementById("p-condition").value = bo.conditionExpression ? bo.conditionExpression.body : "";
    if (["userTask", "timer", "node"].includes(kind)) showLanes(element);
  }

  modeler.on("selection.changed", (e) => show(e.newSelection[0] || null));
  modeler.on("element.changed", (e) => { if (selected && e.element === selected) show(selected); });

  form.addEventListener("change", (event) => {
    const input = event.target;
    if (!selected) return;
    if (input.dataset.prop === "name") modeling.updateLabel(selected, input.value);
    else if (input.dataset.lane) moveToLane(selected, input.value);
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

  // --- problems: listed by the element's name (with its id), marked on the canvas -------------
  function clearMarks() {
    marked.forEach((id) => registry.get(id) && canvas.removeMarker(id, "sf-error"));
    marked = [];
    document.getElementById("fejl").hidden = true;
  }

  function nameOf(problem) {
    const element = problem.element_id && registry.get(problem.element_id);
    const name = element && element.businessObject && element.businessObject.name;
    return name || problem.element_name || null;
  }

  function showProblems(message, problems) {
    const list = document.getElementById("fejlliste");
    list.replaceChildren();
    problems.forEach((p) => {
      const li = document.createElement("li");
      const element = p.element_id ? registry.get(p.element_id) : null;
      if (p.element_id) {
        li.dataset.element = p.element_id;
        const name = nameOf(p);
        const title = document.createElement(element ? "button" : "strong");
        title.textContent = name ? `${name} (${p.element_id})` : p.element_id;
        if (element) {
          title.type = "button";
          title.className = "link-like";
          title.addEventListener("click", () => { selection.select(element); canvas.scrollToElement(element); });
        }
        li.append(title, document.createTextNode(`: ${p.message}`));
      } else {
        li.textContent = p.message;
      }
      list.appendChild(li);
      if (element) {
        canvas.addMarker(p.element_id, "sf-error");
        marked.push(p.element_id);
      }
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
      body: JSON.stringify({ bpmn: xml, version: Number(canvasEl.dataset.openedVersion) }),
    });
    return [response, await response.json().catch(() => ({}))];
  }

  const problemsOf = (body) => body.problems || (body.errors ? Object.entries(body.errors).map(([k, v]) => ({ element_id: null, message: `${k}: ${v}` })) : []);

  document.getElementById("valider").addEventListener("click", async () => {
    const [response, body] = await post(canvasEl.dataset.validateUrl, "Validerer …");
    if (response.ok) {
      result.className = "flash flash-success";
      result.textContent = body.executable
        ? `Diagrammet er gyldigt (${body.user_tasks} brugeropgaver). Intet er udrullet endnu.`
        : "Modellen er gyldig BPMN, men ingen proces er eksekverbar: den gemmes som dokumentation og kan ikke starte sager. Intet er udrullet endnu.";
    } else {
      showProblems(body.message || "Diagrammet er ikke gyldigt", problemsOf(body));
    }
  });

  document.getElementById("udrul").addEventListener("click", async () => {
    const [response, body] = await post(canvasEl.dataset.deployUrl, "Udruller …");
    if (response.ok) {
      setDirty(false);
      result.className = "flash flash-success";
      if (body.created && !body.executable) {
        result.textContent = `Version ${body.version} er udrullet som dokumentation: den kan ses og rettes, men ikke starte sager.`;
      } else if (body.created) {
        result.textContent = `Version ${body.version} er udrullet. Nye sager bruger den; kørende sager fortsætter på deres version.`;
      } else if (body.activated) {
        result.textContent = `Diagrammet er identisk med version ${body.version}, som nu igen bruges af nye sager.`;
      } else {
        result.textContent = `Intet ændret: diagrammet er identisk med version ${body.version}.`;
      }
      heading.textContent = `– version ${body.version} (bruges af nye sager)${body.executable ? "" : " · dokumentation"}`;
      canvasEl.dataset.shownVersion = String(body.version);
      canvasEl.dataset.xmlSrc = body.xml_url;
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
      await load(await file.text(), { unsaved: true });
      result.className = "flash flash-info";
      result.textContent = `${file.name} er indlæst. Tryk «Udrul ny version» for at validere og udrulle den som en ny version af «${canvasEl.dataset.processKey}».`;
      heading.textContent = `– indlæst fra filen ${file.name}, ikke udrullet`;
    } catch (err) {
      showProblems("Filen kunne ikke læses som BPMN", [{ element_id: null, message: "Filen er ikke en BPMN 2.0-model, som modelleren kan vise. Eksportér den som BPMN 2.0 XML." }]);
    }
    event.target.value = "";
  });
})();
