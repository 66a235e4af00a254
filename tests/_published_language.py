"""Language tasks of the published-tree generator, in the shapes the release publishes them.

One task per family of SPEC §1 that the release shows in a telling shape: multiple choice
with a letter and with a list, open QA with accepted answers and with a context, dialogue
with ``dialog`` at the top level and ``output.response``, math word problems, time series,
classification and NER through ``<<<raw_text>>>``, translation with a bare string output,
summarization. Task fields follow the release, names of the table or not.
"""

from __future__ import annotations

from tests._published_kit import Made, Media, Spec, header, pick, sentence

LETTERS = "ABCD"


def _causal(m: Media, i: int) -> Made:
    answer = pick(m.rng, LETTERS)
    question = "What most likely caused this? " + sentence(m.rng)
    options = [sentence(m.rng, 4) for _ in LETTERS]
    return Made(
        {"input": {"question": question, "options": options}, "output": {"answer": answer}}, answer
    )


def _event_coreference(m: Media, i: int) -> Made:
    answer = pick(m.rng, LETTERS)
    fields = {
        "input": {
            "question": "Which event mention refers to the same event as the first one?",
            "text": sentence(m.rng, 12),
            "options": [f"{letter}. {sentence(m.rng, 3)}" for letter in LETTERS],
        },
        "output": {"answer": [answer]},
    }
    return Made(fields, answer)


def _document_causal(m: Media, i: int) -> Made:
    answer = sentence(m.rng, 8)
    question = "Why did the second event happen?"
    context = " ".join(sentence(m.rng, 9) for _ in range(3))
    return Made(
        {"input": {"question": question, "context": context}, "output": {"answer": answer}}, answer
    )


CAPITALS = (("France", "Paris"), ("Japan", "Tokyo"), ("Kenya", "Nairobi"), ("Peru", "Lima"))


def _trivia(m: Media, i: int) -> Made:
    country, city = pick(m.rng, CAPITALS)
    accepted = [city, f"{city}, {country}", city.lower()]
    question = f"What is the capital of {country}?"
    return Made({"input": {"question": question}, "output": {"answer": accepted}}, city)


def _dialogue(m: Media, i: int) -> Made:
    turns = [{"speaker": s, "text": sentence(m.rng)} for s in ("A", "B", "A")]
    response = sentence(m.rng, 7)
    return Made({"dialog": turns, "output": {"response": response}}, response)


NLI_LABELS = ("entailment", "neutral", "contradiction")


def _inference(m: Media, i: int) -> Made:
    label = pick(m.rng, NLI_LABELS)
    prompt = (
        "Premise and hypothesis: <<<raw_text>>>\n"
        "Answer with one of: entailment, neutral, contradiction."
    )
    raw = f"Premise: {sentence(m.rng)} Hypothesis: {sentence(m.rng, 4)}"
    return Made({"input": {"prompt": prompt, "raw_text": raw}, "output": {"label": label}}, label)


TERMS = ("graphene", "carbon nanotube", "perovskite", "lithium anode", "quantum dot")


def _scientific_ner(m: Media, i: int) -> Made:
    first, second = (str(t) for t in m.rng.choice(TERMS, size=2, replace=False))
    entities = f"{first}, {second}"
    raw = f"We grow {first} on {second} films. {sentence(m.rng, 5)}"
    prompt = "List the scientific terms in the text, separated by ', '.\nText: <<<raw_text>>>"
    return Made(
        {"input": {"prompt": prompt, "raw_text": raw}, "output": {"entities": entities}}, entities
    )


def _word_problem(m: Media, i: int) -> Made:
    a, b = (int(x) for x in m.rng.integers(2, 30, size=2))
    problem = {
        "text": f"Ann has {a} apples and buys {b} more. How many apples does she have?",
        "constraints": "The answer is a whole number.",
    }
    solution = {"steps": [f"{a} + {b} = {a + b}"], "final_answer": str(a + b)}
    return Made({"problem": problem, "output": {"solution": solution}}, str(a + b))


def _time_series(m: Media, i: int) -> Made:
    walk = 15 + m.rng.normal(0, 1, size=9).cumsum()
    data = [round(float(x), 2) for x in walk[:8]]
    target = round(float(walk[8]), 2)
    return Made({"input": {"data": data}, "output": {"target": target}}, str(target))


PAIRS = (
    ("The cat sleeps on the warm bed.", "猫在温暖的床上睡觉。"),
    ("We walk to the market every morning.", "我们每天早上步行去市场。"),
    ("The river is very clean today.", "今天的河水非常干净。"),
    ("She reads a book in the garden.", "她在花园里看书。"),
)


def _translation(m: Media, i: int) -> Made:
    english, chinese = pick(m.rng, PAIRS)
    return Made({"in": "English", "out": "Chinese", "input": english, "output": chinese}, chinese)


def _summary(m: Media, i: int) -> Made:
    summary = sentence(m.rng, 6)
    document = " ".join([summary, *(sentence(m.rng, 10) for _ in range(4))])
    return Made({"document": document, "output": {"summary": summary}}, summary)


LANGUAGE: tuple[Spec, ...] = (
    Spec(
        folder="nlp/Causal-Reasoning",
        header=header(
            "Causal Reasoning",
            "MultipleChoiceQA",
            skill="Reasoning",
            domain="Commonsense",
            general_capability=["Reasoning"],
        ),
        row=("NLP", "Causal Reasoning"),
        metric="ACC",
        reference=("output", "answer"),
        make=_causal,
        ids=("0458", "0459", "1021"),
    ),
    Spec(
        folder="nlp/Event-Coreference-Resolution",
        header=header("event_coreference_mcq", "MultipleChoiceQA", version="1.0"),
        row=("NLP", "Event Coreference Resolution"),
        rule="folder name",
        metric="Micro-F1",
        reference=("output", "answer"),
        make=_event_coreference,
    ),
    Spec(
        folder="nlp/Document-Level-Causal-Reasoning",
        header=header("Document-Level Causal", "OpenQA", data_source="news articles"),
        row=("NLP", "Document-Level Causal Reasoning"),
        rule="folder name",
        metric="BLEU-1",
        reference=("output", "answer"),
        make=_document_causal,
    ),
    Spec(
        folder="nlp/TriviaQA",
        header=header("TriviaQA", "OpenQA"),
        row=("NLP", "TriviaQA"),
        metric="F1",
        reference=("output", "answer"),
        make=_trivia,
        ids=("0457", "0458"),
    ),
    Spec(
        folder="nlp/Multi-Turn-Daily-Dialogue-Generation",
        header=header("Multi-Turn_Daily_Dialogue_Generationid", "Dialogue", skill="Generation"),
        row=("NLP", "Multi-Turn Daily Dialogue Generation"),
        rule="folder name",
        metric="BLEU-1",
        reference=("output", "response"),
        make=_dialogue,
    ),
    Spec(
        folder="nlp/Natural-Language-Inference",
        header=header("natural_language_inference", "classification"),
        row=("NLP", "Natural Language Inference"),
        metric="Micro-F1",
        reference=("output", "label"),
        make=_inference,
    ),
    Spec(
        folder="nlp/Scientific-NER",
        header=header("Scientific NER", "ner", domain="Science"),
        row=("NLP", "Scientific NER"),
        metric="Micro-F1",
        reference=("output", "entities"),
        make=_scientific_ner,
    ),
    Spec(
        folder="nlp/Mathematical-Word-Problem-Solving",
        header=header("Mathematical Word Problem Solving", "Mathematical Word Problem Solving"),
        row=("NLP", "Mathematical Word Problem Solving"),
        metric="ACC",
        reference=("output", "solution", "final_answer"),
        make=_word_problem,
    ),
    Spec(
        folder="nlp/Time-Series",
        header=header("Time Series", "Time Series", version="1.1"),
        row=("NLP", "Time Series"),
        metric="RMSE",
        reference=("output", "target"),
        make=_time_series,
        closeset_drops_output=True,
    ),
    Spec(
        folder="nlp/English-Chinese-Translation",
        header=header("English-Chinese Translation", "Translation"),
        row=("NLP", "English-Chinese Translation"),
        metric="ROUGE-1",
        reference=("output",),
        make=_translation,
    ),
    Spec(
        folder="nlp/Abstractive-Summarization",
        header=header("Abstractive Summarization", "Summarization"),
        row=("NLP", "Abstractive Summarization"),
        metric="ROUGE-1",
        reference=("output", "summary"),
        make=_summary,
    ),
)
