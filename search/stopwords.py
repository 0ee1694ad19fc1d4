"""Stop words the database backend leaves out, per language (``search.analysis`` folds them).

They are the function words the engine's ``stop`` filters drop (``search.documents``): for English
the 33 words of Lucene's ``EnglishAnalyzer``; for French and Spanish the articles, pronouns,
prepositions, conjunctions and auxiliary forms of Snowball's stop lists (snowballstem.org), which
leave out homonyms of content words (French ``son``, ``est``, ``été``); for Arabic the particles,
pronouns and prepositions of Lucene's Arabic list.
"""

ENGLISH = """
a an and are as at be but by for if in into is it no not of on or such that the their then there
these they this to was will with
"""

FRENCH = """
au aux avec ce ces dans de des du elle en et eux il ils je la le les leur leurs lui ma mais me meme
mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses sur ta te tes toi ton tu un
une vos votre vous c d j l a m n s t y etee etees etant suis es etes sont serai seras sera serons
serez seront serais serait serions seriez seraient etais etait etions etiez etaient fus fut fumes
futes furent sois soit soyons soyez soient fusse fusses fussions fussiez fussent ayant eu eue eues
eus ai avons avez ont aurai aurons aurez auront aurais aurait aurions auriez auraient avais avait
aviez avaient eut eumes eutes eurent aie aies ait ayons ayez aient eusse eusses eut eussions
eussiez eussent ceci cela cet cette ici quel quels quelle quelles sans soi jusqu lorsqu puisqu
quoiqu
"""

SPANISH = """
de la que el en y a los del se las por un para con no una su al lo como mas pero sus le ya o este
si porque esta entre cuando muy sin sobre tambien me hasta hay donde quien desde todo nos durante
todos uno les ni contra otros ese eso ante ellos e esto mi antes algunos que unos yo otro otras otra
el tanto esa estos mucho quienes nada muchos cual poco ella estar estas algunas algo nosotros mi
mis tu te ti tu tus ellas nosotras vosotros vosotras os mio mia mios mias tuyo tuya tuyos tuyas
suyo suya suyos suyas nuestro nuestra nuestros nuestras vuestro vuestra vuestros vuestras esos
esas estoy estas esta estamos estais estan este estes estemos esteis esten estare estaras estara
estaremos estareis estaran es soy eres somos sois son sea seas seamos seais sean fue fueron era
eran ha han he has hemos habeis haya hayan habia habian hubo sido siendo
"""

ARABIC = """
من ومن منها منه في وفي فيها فيه و ف ثم أو أم ب بها به أي إلى إلي إليها إليه على عليها عليه عن
عنها عنه هو هي هم هما هن نحن أنت أنتم أنا كل لم لن له لها لهم لا ما مع ذلك هذا هذه هذين هؤلاء
تلك التي الذي الذين اللتي اللذين قد كان كانت يكون تكون وكان وكانت حيث حين كما لكن ولكن بين بعد
قبل عند عندما منذ إذا إذ حتى أيضا إلا غير ضمن أن إن وأن وإن
"""

#: Each language's stop words, as written (``search.analysis.STOP_WORDS`` holds them folded).
STOP_LISTS = {"en": ENGLISH, "fr": FRENCH, "es": SPANISH, "ar": ARABIC}
