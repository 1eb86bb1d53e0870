"""The grammar of Sagsflow's FEEL subset (lark, LALR(1)).

No loops (``for``, ``some``, ``every``), no function definitions, no filters: evaluation is linear in
the expression's size.  Multi-word built-in names (``date and time``, ``string length``, ...) are
single tokens, recognised only when a ``(`` follows, so ``date and time`` as a condition still
means two names joined by ``and``.
"""

GRAMMAR = r"""
?expression: disjunction
           | "if" expression "then" expression "else" expression -> if_

?disjunction: conjunction
            | disjunction "or" conjunction -> or_
?conjunction: comparison
            | conjunction "and" comparison -> and_
?comparison: sum
           | sum COMP sum -> compare
           | sum "between" sum "and" sum -> between
           | sum "in" sum -> in_
?sum: product
    | sum "+" product -> add
    | sum "-" product -> sub
?product: unary
        | product "*" unary -> mul
        | product "/" unary -> div
?unary: postfix
      | "-" unary -> neg
?postfix: primary
        | postfix "." NAME -> path
?primary: NUMBER -> number
        | STRING -> string
        | "true" -> true
        | "false" -> false
        | "null" -> null
        | NAME -> name
        | "not" "(" expression ")" -> not_
        | (NAME | FUNCTION_NAME) "(" [arguments] ")" -> call
        | "[" [expression ("," expression)*] "]" -> list_
        | "[" sum ".." sum "]" -> range_cc
        | "[" sum ".." sum ")" -> range_co
        | "(" sum ".." sum "]" -> range_oc
        | "(" sum ".." sum ")" -> range_oo
        | "{" [entry ("," entry)*] "}" -> context
        | "(" expression ")"

arguments: expression ("," expression)* -> positional
         | NAME ":" expression ("," NAME ":" expression)* -> named

entry: (NAME | STRING) ":" expression

unary_tests: positive_test ("," positive_test)*
?positive_test: COMP sum -> compare_test
              | expression -> equal_test

FUNCTION_NAME.3: /(date\s+and\s+time|string\s+length|upper\s+case|lower\s+case|is\s+defined)(?=\s*\()/
NAME: /(?!\d)\w+/
NUMBER: /\d+(\.\d+)?/
STRING: /"(?:[^"\\\n]|\\.)*"/
COMP: "!=" | "<=" | ">=" | "=" | "<" | ">"
%ignore /\s+/
"""
